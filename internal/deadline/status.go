package deadline

// Status is where a time limit stands on a given day.
type Status string

const (
	// StatusRunning: the limit has not yet expired.
	StatusRunning Status = "running"
	// StatusExtended: running, on an expiry a court has extended.
	StatusExtended Status = "extended"
	// StatusExpiresToday: today is the last day; at midnight it expires.
	StatusExpiresToday Status = "expires_today"
	// StatusExpired: the last day has passed with the limit still running.
	// For a custody time limit the accused has an immediate right to bail.
	StatusExpired Status = "expired"
	// StatusStopped: the clock no longer runs (custody ended or the trial
	// began), so the limit cannot expire, whatever the date.
	StatusStopped Status = "stopped"
	// StatusMet: the step the limit governs was taken in time.
	StatusMet Status = "met"
	// StatusLate: the step was taken, but after the limit.
	StatusLate Status = "late"
	// StatusNotStarted: the event that starts the period has not happened.
	StatusNotStarted Status = "not_started"
)
