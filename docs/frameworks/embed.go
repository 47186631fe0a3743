// Package frameworks embeds the inspection frameworks caseboard ships as
// examples, in the JSON format of docs/plans.md: the demo loads them, and
// `caseboard import framework FILE` loads them (or any other) into a
// database.
package frameworks

import "embed"

// FS holds the framework files.
//
//go:embed *.json
var FS embed.FS

// Annex2019 is the file of the inspection framework in Annex B of HMCPSI's
// January 2019 report on the CPS International Justice and Organised Crime
// Division.
const Annex2019 = "hmcpsi-2019-annex-b.json"
