-- Links from a risk to the inspection findings (recommendations, aspects
-- for improvement, good practice) it answers to, so the register "makes
-- all the relevant links across the Division" (report recommendation 3).
-- Written with the risk, as its links to cases are.
CREATE TABLE risk_findings (
    risk_id    BIGINT NOT NULL REFERENCES risks(id),
    finding_id BIGINT NOT NULL REFERENCES findings(id),
    PRIMARY KEY (risk_id, finding_id)
);
CREATE INDEX risk_findings_finding ON risk_findings (finding_id);
