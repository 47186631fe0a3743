package store

import (
	"context"

	"caseboard/internal/access"
	"caseboard/internal/measure"
	"caseboard/internal/org"
)

// AnnexA computes the Annex A table for the twelve months to the month
// last and the financial years before it, over the records the principal
// may see; the rows split by unit are left out for a principal who may not
// see the units.
func (db *DB) AnnexA(ctx context.Context, p *access.Principal, last measure.Period, years int) (measure.AnnexA, error) {
	var units []org.Unit
	if access.Allows(p, access.ReadOrganisation) {
		var err error
		if units, err = db.Units(ctx); err != nil {
			return measure.AnnexA{}, err
		}
	}
	var columns []measure.AnnexCounts
	for _, period := range measure.AnnexColumns(last, years) {
		c, err := db.MeasureCounts(ctx, p, period, "")
		if err != nil {
			return measure.AnnexA{}, err
		}
		columns = append(columns, measure.AnnexCounts{Period: period, Division: c, Units: measure.SplitByUnit(c, units)})
	}
	return measure.BuildAnnexA(columns, units), nil
}
