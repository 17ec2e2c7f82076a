package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/us"
)

// region is one holiday region: its default time zone and the recurring
// holidays it observes. Recurring rules come from rickar/cal; one-off days
// (jubilees, funerals, declared substitutes) live in the override table so
// that each carries the date it became known (see overrides.go).
type region struct {
	code, name, zone string
	holidays         []entry
}

// entry is a recurring holiday rule and the day it became known; a calendar
// built as of an earlier day leaves it out. Zero means "always known".
type entry struct {
	h     *cal.Holiday
	known Day
}

func always(hs ...*cal.Holiday) []entry {
	out := make([]entry, len(hs))
	for i, h := range hs {
		out[i] = entry{h: h}
	}
	return out
}

var (
	// UK substitute days: a Saturday or Sunday holiday moves to the Monday.
	ukWeekend = []cal.AltDay{{Day: time.Saturday, Offset: 2}, {Day: time.Sunday, Offset: 1}}
	// The second of a pair of consecutive holidays (26 Dec; 2 Jan in
	// Scotland) whose first follows ukWeekend: both end up on weekdays, on
	// Monday and Tuesday when either falls at a weekend. Which of the two
	// days carries which name does not matter for counting.
	pairSecond = []cal.AltDay{{Day: time.Saturday, Offset: 2}, {Day: time.Sunday, Offset: 2}, {Day: time.Monday, Offset: 1}}

	// rickar/cal bakes the 2020 and 2022 moves of the May holidays into
	// Except lists; we keep the plain rule and state each move as a dated
	// override, so a calendar "as of" 2019 still shows the original day.
	gbEarlyMay = gb.EarlyMay.Clone(&cal.Holiday{Except: []int{}})
	gbSpring   = gb.SpringHoliday.Clone(&cal.Holiday{Except: []int{}})

	// Scotland (gov.uk/bank-holidays, Banking and Financial Dealings Act 1971
	// sch. 1; St Andrew's Day Bank Holiday (Scotland) Act 2007): rickar/cal
	// has no Scottish list, only the August Monday.
	scotNewYear   = gb.NewYear
	scotSecondJan = &cal.Holiday{Name: "2nd January", Type: cal.ObservanceBank, Month: time.January, Day: 2,
		Func: cal.CalcDayOfMonth, Observed: pairSecond}
	scotStAndrew = &cal.Holiday{Name: "St Andrew's Day", Type: cal.ObservanceBank, Month: time.November, Day: 30,
		Func: cal.CalcDayOfMonth, Observed: ukWeekend, StartYear: 2007}

	// Northern Ireland (gov.uk/bank-holidays): rickar/cal has no NI list.
	niStPatrick = &cal.Holiday{Name: "St Patrick's Day", Type: cal.ObservanceBank, Month: time.March, Day: 17,
		Func: cal.CalcDayOfMonth, Observed: ukWeekend}
	niBoyne = &cal.Holiday{Name: "Battle of the Boyne (Orangemen's Day)", Type: cal.ObservanceBank,
		Month: time.July, Day: 12, Func: cal.CalcDayOfMonth, Observed: ukWeekend}

	// Ireland: rickar/cal gives no substitute days, but when a public holiday
	// falls at a weekend the banks close on the next weekday (bank holiday),
	// e.g. 27 and 28 Dec 2021, 3 Jan 2022, 18 Mar 2024 (Central Bank of
	// Ireland / BPFI bank holiday calendars; citizensinformation.ie "Public
	// holidays"). Business days for the CPC exclude bank holidays.
	ieNewYear   = ie.NewYear.Clone(&cal.Holiday{Observed: ukWeekend})
	iePatrick   = ie.SaintPatrickDay.Clone(&cal.Holiday{Observed: ukWeekend})
	ieChristmas = ie.ChristmasDay.Clone(&cal.Holiday{Observed: ukWeekend})
	ieStephen   = ie.SaintStephenDay.Clone(&cal.Holiday{Observed: pairSecond})
)

// gbCore is the England and Wales list, which the other UK regions extend.
var gbCore = []*cal.Holiday{gb.GoodFriday, gbEarlyMay, gbSpring, gb.ChristmasDay, gb.BoxingDay}

var regions = map[string]*region{
	"GB-ENG": {code: "GB-ENG", name: "England and Wales", zone: "Europe/London",
		holidays: always(append([]*cal.Holiday{gb.NewYear, gb.EasterMonday, gb.SummerHoliday}, gbCore...)...)},
	"GB-SCT": {code: "GB-SCT", name: "Scotland", zone: "Europe/London",
		holidays: always(append([]*cal.Holiday{scotNewYear, scotSecondJan, gb.SummerHolidayScotland, scotStAndrew}, gbCore...)...)},
	"GB-NIR": {code: "GB-NIR", name: "Northern Ireland", zone: "Europe/London",
		holidays: always(append([]*cal.Holiday{gb.NewYear, niStPatrick, gb.EasterMonday, niBoyne, gb.SummerHoliday}, gbCore...)...)},
	"IE": {code: "IE", name: "Ireland", zone: "Europe/Dublin",
		holidays: append(always(ieNewYear, iePatrick, ie.EasterMonday, ie.FirstMondayMay, ie.FirstMondayJune,
			ie.FirstMondayAugust, ie.LastMondayInOctober, ieChristmas, ieStephen),
			// St Brigid's Day was created by the government decision of
			// 19 Jan 2022 (gov.ie announcement), first kept in 2023.
			entry{h: ie.SaintBrigidDay, known: MustDay("2022-01-19")})},
	"AU-NSW": {code: "AU-NSW", name: "New South Wales", zone: "Australia/Sydney",
		holidays: always(au.NewYear, au.AustraliaDay, au.GoodFriday, au.EasterMonday, au.AnzacDay,
			au.QueensBirthday, au.LabourDayActNswSa, au.ChristmasDay, au.BoxingDay)},
	"AU-VIC": {code: "AU-VIC", name: "Victoria (metropolitan Melbourne)", zone: "Australia/Melbourne",
		holidays: always(au.NewYear, au.AustraliaDay, au.LabourDayVic, au.GoodFriday, au.EasterMonday, au.AnzacDay,
			au.QueensBirthday, au.FridayBeforeAflFinal, au.MelbourneCup, au.ChristmasDay, au.BoxingDay)},
	"AU-QLD": {code: "AU-QLD", name: "Queensland", zone: "Australia/Brisbane",
		holidays: always(au.NewYear, au.AustraliaDay, au.GoodFriday, au.EasterMonday, au.AnzacDayNtQldSa,
			au.LabourDayNtQld, au.QueensBirthdayQld, au.ChristmasDay, au.BoxingDay)},
	"US": {code: "US", name: "United States (federal holidays)", zone: "America/New_York",
		holidays: always(us.NewYear, us.MlkDay, us.PresidentsDay, us.MemorialDay, us.Juneteenth,
			us.IndependenceDay, us.LaborDay, us.ColumbusDay, us.VeteransDay, us.ThanksgivingDay, us.ChristmasDay)},
}
