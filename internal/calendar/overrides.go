package calendar

// Override corrects the holiday rules of one or more regions on one day:
// a one-off holiday (a jubilee, a state funeral, a declared substitute) or a
// day that the recurring rule names but that was moved. Each override carries
// the day it became known, so a calendar built as of an earlier day computes
// a past deadline exactly as it was computed then, and its source, so anyone
// can check it.
type Override struct {
	Regions []string // region codes it applies to
	Day     Day      // the local date
	Name    string   // what the day is (or was, for a removal)
	Remove  bool     // true: not a holiday although the recurring rule says so
	Known   Day      // announced or enacted; calendars as of an earlier day ignore it
	Source  string   // where to check it
}

const (
	srcGovUK = "https://www.gov.uk/bank-holidays"
	srcNSW   = "https://www.industrialrelations.nsw.gov.au/public-holidays/public-holidays-in-nsw/"
)

var ukAll = []string{"GB-ENG", "GB-SCT", "GB-NIR"}
var auAll = []string{"AU-NSW", "AU-VIC", "AU-QLD"}

// overrides is the table of corrections to rickar/cal v2.1.13 for 1990-2100.
// rickar/cal already knows some of these one-offs (VE Day 2020, the 2022
// jubilee, the 2023 coronation, Ireland's 2022 remembrance day, Australia's
// 2022 day of mourning), but as undated exceptions; we state them here so that
// they carry the day they became known.
var overrides = []Override{
	{Regions: ukAll, Day: MustDay("2020-05-04"), Remove: true, Known: MustDay("2019-06-07"),
		Name:   "Early May bank holiday (moved to 8 May 2020 for VE Day 75)",
		Source: srcGovUK + "; gov.uk news 7 Jun 2019 \"Early May bank holiday 2020 moved\""},
	{Regions: ukAll, Day: MustDay("2020-05-08"), Known: MustDay("2019-06-07"),
		Name:   "Early May bank holiday (VE Day)",
		Source: srcGovUK + "; gov.uk news 7 Jun 2019 \"Early May bank holiday 2020 moved\""},
	{Regions: ukAll, Day: MustDay("2022-05-30"), Remove: true, Known: MustDay("2020-11-12"),
		Name:   "Spring bank holiday (moved to 2 June 2022 for the Platinum Jubilee)",
		Source: srcGovUK + "; DCMS announcement 12 Nov 2020"},
	{Regions: ukAll, Day: MustDay("2022-06-02"), Known: MustDay("2020-11-12"),
		Name: "Spring bank holiday", Source: srcGovUK + "; DCMS announcement 12 Nov 2020"},
	{Regions: ukAll, Day: MustDay("2022-06-03"), Known: MustDay("2020-11-12"),
		Name: "Platinum Jubilee bank holiday", Source: srcGovUK + "; DCMS announcement 12 Nov 2020"},
	// Missing from rickar/cal v2.1.13 altogether.
	{Regions: ukAll, Day: MustDay("2022-09-19"), Known: MustDay("2022-09-10"),
		Name:   "Bank holiday for the State Funeral of Queen Elizabeth II",
		Source: srcGovUK + "; approved by the King on 10 Sep 2022 (gov.uk news)"},
	{Regions: ukAll, Day: MustDay("2023-05-08"), Known: MustDay("2022-11-06"),
		Name:   "Bank holiday for the coronation of King Charles III",
		Source: srcGovUK + "; Prime Minister's announcement 6 Nov 2022"},
	{Regions: []string{"IE"}, Day: MustDay("2022-03-18"), Known: MustDay("2022-01-19"),
		Name:   "Public holiday of remembrance and recognition (COVID-19)",
		Source: "gov.ie, Government announcement of 19 Jan 2022; https://www.citizensinformation.ie/ \"Public holidays\""},
	{Regions: auAll, Day: MustDay("2022-09-22"), Known: MustDay("2022-09-11"),
		Name:   "National Day of Mourning for Queen Elizabeth II",
		Source: "Prime Minister of Australia, announcement 11 Sep 2022; " + srcNSW},
	// NSW normally gives no weekday holiday when Anzac Day falls at a
	// weekend (rickar/cal is right for 2020 and 2021); for 2026 (Saturday)
	// and 2027 (Sunday) the NSW Government declared the Monday a public
	// holiday. Victoria did not; Queensland's Sunday rule already gives
	// 2027-04-26 and nothing for 2026.
	{Regions: []string{"AU-NSW"}, Day: MustDay("2026-04-27"), Known: MustDay("2026-02-15"),
		Name:   "Additional public holiday for Anzac Day (Anzac Day on a Saturday)",
		Source: srcNSW + "; NSW Premier's announcement 15 Feb 2026"},
	{Regions: []string{"AU-NSW"}, Day: MustDay("2027-04-26"), Known: MustDay("2026-02-15"),
		Name:   "Additional public holiday for Anzac Day (Anzac Day on a Sunday)",
		Source: srcNSW + "; NSW Premier's announcement 15 Feb 2026"},
}

// Overrides returns a copy of the override table: every correction made to
// the holiday library, with the day it became known and its source.
func Overrides() []Override {
	out := make([]Override, len(overrides))
	for i, o := range overrides {
		o.Regions = append([]string(nil), o.Regions...)
		out[i] = o
	}
	return out
}
