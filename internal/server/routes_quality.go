package server

import (
	"net/http"
	"reflect"

	"caseboard/internal/access"
	"caseboard/internal/knowledge"
	"caseboard/internal/quality"
	"caseboard/internal/store"
)

// qualityPageRoutes are the quality assurance pages and forms.
func (s *Server) qualityPageRoutes() []pageRoute {
	return []pageRoute{
		{"GET", "/quality", access.ReadQualityFigures, s.qualityPage},
		{"GET", "/quality/assessments/new", access.WriteQuality, s.newAssessmentPage},
		{"POST", "/quality/assessments", access.WriteQuality, s.createAssessmentForm},
		{"GET", "/quality/assessments/{id}", access.ReadQuality, s.assessmentPage},
		{"POST", "/quality/assessments/{id}/acknowledge", access.WriteQuality, s.acknowledgeForm},
		{"GET", "/quality/assessments/{id}/edit", access.WriteQuality, s.editAssessmentPage},
		{"POST", "/quality/assessments/{id}/edit", access.WriteQuality, s.reviseAssessmentForm},
		{"GET", "/quality/assessments/{id}/remark", access.WriteQuality, s.remarkPage},
		{"POST", "/quality/assessments/{id}/remark", access.WriteQuality, s.remarkForm},
		{"GET", "/quality/completion", access.ReadQualityFigures, s.completionPage},
		{"GET", "/quality/trends", access.ReadQualityFigures, s.trendsPage},
		{"POST", "/quality/trends/themes", access.WriteKnowledge, s.shareThemeForm},
		{"GET", "/quality/calibration", access.ReadCalibration, s.calibrationPage},
		{"POST", "/quality/calibration/samples", access.ReadCalibration, s.dipSampleForm},
		{"GET", "/quality/compliance", access.ReadQuality, s.compliancePage},
		{"POST", "/quality/compliance/samples", access.WriteQuality, s.caseSampleForm},
		{"GET", "/quality/exports/assessments.xlsx", access.ReadQuality, s.assessmentsExport},
		{"GET", "/quality/exports/compliance.xlsx", access.ReadQuality, s.complianceExport},
	}
}

var periodParams = []param{
	{Name: "from", Type: "string", Description: "First day, YYYY-MM-DD (default: a year before to)."},
	{Name: "to", Type: "string", Description: "Last day, YYYY-MM-DD (default: today)."},
}

// qualityAPIRoutes are the quality assurance operations.
func (s *Server) qualityAPIRoutes() []apiRoute {
	return []apiRoute{
		{Method: "GET", Path: "/api/v1/quality/templates", ID: "listQualityTemplates", Tag: "Quality", Perm: access.ReadQuality,
			Summary: "Every version of the assessment templates, with their questions", Response: reflect.TypeFor[list[quality.Template]](), Handler: s.apiQualityTemplates},
		{Method: "GET", Path: "/api/v1/quality/assessments", ID: "listMyAssessments", Tag: "Quality", Perm: access.ReadQuality,
			Summary: "The caller's IQAs given and received, newest first, and the sampled IQAs they are to re-mark", Response: reflect.TypeFor[store.AssessmentList](),
			Handler: s.apiMyAssessments, Query: []param{{Name: "limit", Type: "integer", Description: "Items per list, 1 to 500 (default 50)."}}},
		{Method: "POST", Path: "/api/v1/quality/assessments", ID: "createAssessment", Tag: "Quality", Perm: access.WriteQuality,
			Summary: "Record an IQA of someone the caller line-manages, on a case the caller may see", Body: reflect.TypeFor[assessmentInput](),
			Response: reflect.TypeFor[quality.Assessment](), Status: http.StatusCreated, Handler: s.apiCreateAssessment},
		{Method: "GET", Path: "/api/v1/quality/assessments/{id}", ID: "getAssessment", Tag: "Quality", Perm: access.ReadQuality,
			Summary: "An assessment with its earlier versions", Response: reflect.TypeFor[assessmentDetail](), Handler: s.apiAssessment},
		{Method: "PATCH", Path: "/api/v1/quality/assessments/{id}", ID: "reviseAssessment", Tag: "Quality", Perm: access.WriteQuality,
			Summary:  "Change an assessment's marks and feedback as a new version; send the version read, and a reason once it is acknowledged",
			Body:     reflect.TypeFor[store.AssessmentChange](),
			Response: reflect.TypeFor[quality.Assessment](), Handler: s.apiReviseAssessment},
		{Method: "POST", Path: "/api/v1/quality/assessments/{id}/acknowledge", ID: "acknowledgeAssessment", Tag: "Quality", Perm: access.WriteQuality,
			Summary: "Acknowledge an assessment of oneself", Response: reflect.TypeFor[quality.Assessment](), Handler: s.apiAcknowledgeAssessment},
		{Method: "POST", Path: "/api/v1/quality/assessments/{id}/remark", ID: "remarkAssessment", Tag: "Quality", Perm: access.WriteQuality,
			Summary: "Re-mark, blind, an IQA the caller was asked to re-mark in a dip sample", Body: reflect.TypeFor[remarkInput](),
			Response: reflect.TypeFor[quality.Assessment](), Status: http.StatusCreated, Handler: s.apiRemark},
		{Method: "GET", Path: "/api/v1/quality/obligations", ID: "listMyObligations", Tag: "Quality", Perm: access.ReadQuality,
			Summary: "The IQAs the caller owes the people they line-manage, this period and the year before", Response: reflect.TypeFor[list[quality.Obligation]](), Handler: s.apiMyObligations},
		{Method: "GET", Path: "/api/v1/quality/completion", ID: "getQualityCompletion", Tag: "Quality", Perm: access.ReadQualityFigures,
			Summary: "IQA completion (obligations met of those fallen due) by division, unit or team; names no one", Response: reflect.TypeFor[completionReport](),
			Handler: s.apiQualityCompletion, Query: append([]param{{Name: "by", Type: "string", Enum: []string{"division", "unit", "team"}, Description: "Grouping (default unit)."}}, periodParams...)},
		{Method: "GET", Path: "/api/v1/quality/trends", ID: "getQualityTrends", Tag: "Quality", Perm: access.ReadQualityFigures,
			Summary: "The questions most often not met, overall and by quarter", Response: reflect.TypeFor[trendsReport](),
			Handler: s.apiQualityTrends, Query: append([]param{{Name: "unit", Type: "string", Description: "Unit code (default: the division)."}}, periodParams...)},
		{Method: "POST", Path: "/api/v1/quality/themes", ID: "shareQualityTheme", Tag: "Quality", Perm: access.WriteKnowledge,
			Summary:  "Start a lessons-learned draft in the knowledge repository from a theme of the trends: the question, unit, period and counts, naming no person or case",
			Body:     reflect.TypeFor[themeInput](),
			Response: reflect.TypeFor[knowledge.Article](), Status: http.StatusCreated, Handler: s.apiShareTheme},
		{Method: "GET", Path: "/api/v1/quality/calibration", ID: "getQualityCalibration", Tag: "Quality", Perm: access.ReadCalibration,
			Summary: "Each assessor's share of top marks against peers and agreement with blind re-marks, with the leniency flag", Response: reflect.TypeFor[calibrationReport](),
			Handler: s.apiCalibration, Query: append([]param{{Name: "unit", Type: "string", Description: "Unit code (default: the caller's)."}}, periodParams...)},
		{Method: "POST", Path: "/api/v1/quality/dip-samples", ID: "drawDipSample", Tag: "Quality", Perm: access.ReadCalibration,
			Summary: "Draw a seeded, recorded random sample of a unit's IQAs for blind re-marking", Body: reflect.TypeFor[dipSampleInput](),
			Response: reflect.TypeFor[store.DipSample](), Status: http.StatusCreated, Handler: s.apiDrawDipSample},
		{Method: "GET", Path: "/api/v1/quality/compliance", ID: "getCompliance", Tag: "Quality", Perm: access.ReadQuality,
			Summary:  "The compliance rules, their results by unit, team or lawyer, and every failing case, over the cases the caller may see",
			Response: reflect.TypeFor[complianceReport](), Handler: s.apiCompliance,
			Query: []param{{Name: "unit", Type: "string", Description: "Unit code (default: every unit)."},
				{Name: "by", Type: "string", Enum: []string{"unit", "team", "lawyer"}, Description: "Grouping (default unit)."}}},
		{Method: "POST", Path: "/api/v1/quality/compliance/samples", ID: "drawCaseSample", Tag: "Quality", Perm: access.WriteQuality,
			Summary: "Draw a seeded, recorded random sample of the live cases of the people the caller line-manages, for a dip check",
			Body:    reflect.TypeFor[caseSampleInput](), Response: reflect.TypeFor[store.CaseSample](), Status: http.StatusCreated, Handler: s.apiDrawCaseSample},
		{Method: "GET", Path: "/api/v1/quality/schedule-rules", ID: "listQualityRules", Tag: "Quality", Perm: access.ReadQualityFigures,
			Summary: "The IQA schedule: assessments needed per person per period", Response: reflect.TypeFor[list[quality.Rule]](), Handler: s.apiQualityRules},
		{Method: "PUT", Path: "/api/v1/quality/schedule-rules", ID: "setQualityRule", Tag: "Quality", Perm: access.WriteQuality,
			Summary: "Set the schedule's rule for an activity (head of division)", Body: reflect.TypeFor[quality.Rule](),
			Response: reflect.TypeFor[quality.Rule](), Handler: s.apiSetQualityRule},
	}
}
