package store

import (
	"strings"

	"caseboard/internal/access"
)

// visibleTo returns a SQL condition that keeps only the records of
// recordType that the filter allows, over a table aliased alias with the
// columns id, unit_id and sensitivity. It states access.Clearances.Can in
// SQL, so lists are filtered by the database, never loaded then filtered;
// the store's tests check the two agree on every combination.
func visibleTo(f access.Filter, recordType, alias string) (string, []any) {
	if f.Nothing {
		return "1 = 0", nil
	}
	var and []string
	var args []any
	in := func(column string, ids []int64) string {
		if len(ids) == 0 {
			return "1 = 0"
		}
		args = append(args, idArgs(ids)...)
		return column + " IN (" + placeholders(len(ids)) + ")"
	}
	sens := make([]string, len(f.Sensitivities))
	for i, s := range f.Sensitivities {
		sens[i] = "'" + string(s) + "'" // constants from the access package, never input
	}
	and = append(and, alias+".sensitivity IN ("+strings.Join(sens, ", ")+")")
	if f.OnlyUnit != nil {
		and = append(and, alias+".unit_id = ?")
		args = append(args, *f.OnlyUnit)
	}
	shared := "EXISTS (SELECT 1 FROM record_shares rs WHERE rs.record_type = ? AND rs.record_id = " + alias + ".id AND "
	if f.PartnerID != nil {
		and = append(and, shared+"rs.partner_id = ?)")
		args = append(args, recordType, *f.PartnerID)
		return strings.Join(and, " AND "), args
	}
	// The cheap tests of the row's own columns come first: the database
	// stops at the first that holds, so most rows never reach the lookups.
	var or []string
	or = append(or, alias+".sensitivity = 'official'")
	if f.AllOfficialSensitive {
		or = append(or, alias+".sensitivity = 'official_sensitive'")
	} else {
		or = append(or, "("+alias+".sensitivity = 'official_sensitive' AND "+in(alias+".unit_id", f.Units)+")")
	}
	args = append(args, recordType)
	or = append(or, "("+alias+".sensitivity = 'restricted' AND EXISTS (SELECT 1 FROM record_team rt WHERE rt.record_type = ? AND rt.record_id = "+
		alias+".id AND "+in("rt.person_id", f.TeamMembers)+"))")
	or = append(or, shared+"rs.person_id = ?)")
	args = append(args, recordType, f.PersonID)
	and = append(and, "("+strings.Join(or, " OR ")+")")
	return strings.Join(and, " AND "), args
}

// placeholders is n question marks for an IN list.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// idArgs are ids as query arguments, for an IN list of placeholders.
func idArgs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
