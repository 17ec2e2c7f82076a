package clock

import "github.com/caredesk/caredesk/internal/calendar"

// Citations shared by several rules.
const (
	srcISO       = "ISO 10002:2018 cl. 8 (complaints-handling process); targets are common practice of ISO 10002-aligned insurers, not text of the standard"
	srcDISP15    = "FCA Handbook DISP 1.5.1R (summary resolution communication: resolved by close of business on the third business day following receipt)"
	srcDISP15Old = "FCA Handbook DISP 1.5 before PS15/19 (resolved by close of business on the business day following receipt)"
	srcDISP16    = "FCA Handbook DISP 1.6.2R(1) (final response by the end of eight weeks after receipt)"
	srcDISP162A  = "FCA Handbook DISP 1.6.2AR (payment services and e-money: final response by the end of 15 business days after the day of receipt; at most 35 business days after a holding reply in exceptional situations)"
	srcRG271Ack  = "ASIC RG 271 'Acknowledging complaints' (within 24 hours or one business day); ASIC Instrument 2020/98"
	srcRG271Max  = "ASIC RG 271 'Maximum IDR timeframes'; ASIC Corporations, Credit and Superannuation (Internal Dispute Resolution) Instrument 2020/98"
	srcRG271Five = "ASIC RG 271 'IDR response' (no written IDR response needed for complaints closed by the end of the fifth business day after receipt, unless requested; not for hardship or default-notice complaints)"
	srcRG165     = "ASIC RG 165 (superseded for complaints received from 5 Oct 2021)"
	srcCPC       = "Central Bank of Ireland Consumer Protection Code 2012, provision 10.9"
	srcCCR5      = "Cal. Code Regs. tit. 10, § 2695.5(e) (acknowledge notice of claim within 15 calendar days)"
	srcCCR7b     = "Cal. Code Regs. tit. 10, § 2695.7(b) (accept or deny within 40 calendar days after proof of claim)"
	srcCCR7c     = "Cal. Code Regs. tit. 10, § 2695.7(c)(1) (written notice of the need for more time within the 40 days, then every 30 calendar days until a determination)"
)

const srcClaims = "caredesk claims service standards (docs/claims.md)"

// claimRules are the milestones every claim owes, plus those of its kind.
func claimRules(more ...Rule) []Rule {
	return append([]Rule{
		{Name: "fnol_capture", Amount: 1, Unit: Hours, StartEvent: EventReceived,
			Source: srcClaims + ": first notice of loss captured within 1 hour of the report"},
		bd("acknowledge", 1, EventReceived, srcClaims+": claim acknowledged within 1 business day"),
	}, more...)
}

func bd(name string, n int, event, src string) Rule {
	return Rule{Name: name, Amount: n, Unit: BusinessDays, StartEvent: event, Source: src}
}

func cd(name string, n int, event, src string) Rule {
	return Rule{Name: name, Amount: n, Unit: CalendarDays, StartEvent: event, Source: src}
}

func recurring(r Rule) Rule { r.Recurring = true; return r }

func onBreach(r Rule, action string) Rule { r.OnBreach = action; return r }

var (
	pscSince    = calendar.MustDay("2018-01-13") // PSD2 transposed: DISP 1.6.2A in force
	ps1519Since = calendar.MustDay("2016-06-30") // PS15/19: summary resolution extended to 3 business days
	rg271Since  = calendar.MustDay("2021-10-05") // RG 271 applies to complaints received from this day
)

// asicWaiver is RG 271's five-business-day window for closing a complaint
// without a written IDR response.
var asicWaiver = &Rule{Name: "no_written_response_within", Amount: 5, Unit: BusinessDays,
	StartEvent: EventReceived, Source: srcRG271Five}

// regimes holds every version of every shipped rule pack. Regulatory clocks
// never pause, so no rule here is Pausable.
var regimes = []*Regime{
	{Name: "iso10002", Variant: StandardVariant, DefaultCalendar: "GB-ENG", Sources: []string{srcISO},
		Rules: []Rule{
			bd("acknowledge", 1, EventReceived, srcISO),
			recurring(bd("update", 5, EventReceived, srcISO)),
			onBreach(bd("tier2_review", 3, EventTier2Escalated, srcISO), ActionEscalateExecutive),
			bd("executive_review", 10, EventExecutiveEscalated, srcISO),
			onBreach(bd("final_response", 15, EventReceived, srcISO), ActionEscalateTier2),
		}},

	{Name: "uk-fca", Variant: StandardVariant, DefaultCalendar: "GB-ENG", Sources: []string{srcDISP15Old, srcDISP16},
		Rules: []Rule{
			bd("summary_resolution", 1, EventReceived, srcDISP15Old),
			{Name: "final_response", Amount: 8, Unit: Weeks, StartEvent: EventReceived, Source: srcDISP16},
		}},
	{Name: "uk-fca", Variant: StandardVariant, DefaultCalendar: "GB-ENG", Effective: ps1519Since,
		Sources: []string{srcDISP15, srcDISP16},
		Rules: []Rule{
			bd("summary_resolution", 3, EventReceived, srcDISP15),
			{Name: "final_response", Amount: 8, Unit: Weeks, StartEvent: EventReceived, Source: srcDISP16},
		}},
	{Name: "uk-fca", Variant: "payment-services", DefaultCalendar: "GB-ENG", Effective: pscSince,
		Sources: []string{srcDISP15, srcDISP162A},
		Rules: []Rule{
			bd("summary_resolution", 3, EventReceived, srcDISP15),
			bd("final_response", 15, EventReceived, srcDISP162A),
			bd("final_response_extended", 35, EventReceived, srcDISP162A+"; applies only after a holding reply"),
		}},

	{Name: "au-asic", Variant: StandardVariant, DefaultCalendar: "AU-NSW", Sources: []string{srcRG165},
		Rules: []Rule{cd("final_response", 45, EventReceived, srcRG165+": IDR response within 45 days")}},
	{Name: "au-asic", Variant: "superannuation", DefaultCalendar: "AU-NSW", Sources: []string{srcRG165},
		Rules: []Rule{cd("final_response", 90, EventReceived, srcRG165+"; SIS Act s101: 90 days")}},
	{Name: "au-asic", Variant: "default-notice", Aliases: []string{"hardship"}, DefaultCalendar: "AU-NSW",
		Sources: []string{srcRG165},
		Rules:   []Rule{cd("final_response", 21, EventReceived, srcRG165+": 21 days for default notices")}},
	{Name: "au-asic", Variant: StandardVariant, DefaultCalendar: "AU-NSW", Effective: rg271Since,
		Sources: []string{srcRG271Ack, srcRG271Max, srcRG271Five}, NoWrittenResponseWithin: asicWaiver,
		Rules: []Rule{
			bd("acknowledge", 1, EventReceived, srcRG271Ack),
			cd("final_response", 30, EventReceived, srcRG271Max+" (30 calendar days)"),
		}},
	{Name: "au-asic", Variant: "superannuation", DefaultCalendar: "AU-NSW", Effective: rg271Since,
		Sources: []string{srcRG271Ack, srcRG271Max, srcRG271Five}, NoWrittenResponseWithin: asicWaiver,
		Rules: []Rule{
			bd("acknowledge", 1, EventReceived, srcRG271Ack),
			cd("final_response", 45, EventReceived, srcRG271Max+" (superannuation trustees: 45 calendar days)"),
		}},
	{Name: "au-asic", Variant: "default-notice", Aliases: []string{"hardship"}, DefaultCalendar: "AU-NSW",
		Effective: rg271Since, Sources: []string{srcRG271Ack, srcRG271Max},
		Rules: []Rule{
			bd("acknowledge", 1, EventReceived, srcRG271Ack),
			cd("final_response", 21, EventReceived, srcRG271Max+" (default notices, hardship, postponement of enforcement: 21 calendar days)"),
		}},

	{Name: "ie-cpc", Variant: StandardVariant, DefaultCalendar: "IE", Sources: []string{srcCPC},
		Rules: []Rule{
			bd("acknowledge", 5, EventReceived, srcCPC+"(b)"),
			recurring(bd("update", 20, EventReceived, srcCPC+"(d)")),
			bd("final_response", 40, EventReceived, srcCPC+"(e)"),
		}},

	// caredesk's claims milestones (docs/claims.md): service standards an
	// insurer sets itself, so the inspection clock may pause while a
	// declared catastrophe event holds every inspector.
	{Name: "claims", Variant: StandardVariant, DefaultCalendar: "GB-ENG", Sources: []string{srcClaims},
		Rules: claimRules()},
	{Name: "claims", Variant: "property", DefaultCalendar: "GB-ENG", Sources: []string{srcClaims},
		Rules: claimRules(Rule{Name: "inspection", Amount: 48, Unit: Hours, StartEvent: EventReceived,
			Pausable: true, Source: srcClaims + ": property inspection scheduled within 48 hours of the report"})},
	{Name: "claims", Variant: "motor", DefaultCalendar: "GB-ENG", Sources: []string{srcClaims},
		Rules: claimRules(cd("settlement", 10, EventReceived,
			srcClaims+": simple motor physical-damage claims settled within 10 days of the report"))},

	{Name: "us-ca-claims", Variant: StandardVariant, DefaultCalendar: "US", DefaultZone: "America/Los_Angeles",
		Sources: []string{srcCCR5, srcCCR7b, srcCCR7c},
		Rules: []Rule{
			cd("acknowledge", 15, EventReceived, srcCCR5),
			cd("decision", 40, EventProofOfLoss, srcCCR7b),
			// The first notice is due with the 40-day decision (which it
			// replaces when more time is needed); the recurring ones follow
			// every 30 days after that: 70, 100, 130 … days.
			{Name: "status_update", Amount: 30, FirstAmount: 70, Unit: CalendarDays, StartEvent: EventProofOfLoss,
				Recurring: true, Source: srcCCR7c},
		}},
}
