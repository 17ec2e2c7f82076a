package signals

import (
	"strconv"
	"strings"
)

// Signals named in reasons.
const (
	SignalComplaint       = "complaint_word"  // the customer calls it a complaint
	SignalDissatisfaction = "dissatisfaction" // unhappy with the firm or its service
	SignalRemedy          = "remedy_demand"   // refund, compensation, apology, put it right
	SignalEscalation      = "escalation"      // manager, supervisor, someone senior
	SignalLeave           = "leave_threat"    // cancel, switch, never again
	SignalOmbudsman       = "ombudsman"       // FOS, AFCA, FSPO
	SignalRegulator       = "regulator"       // FCA, ASIC, Central Bank, insurance department
	SignalLegal           = "legal"           // solicitor, lawyer, court
	SignalMedia           = "media"           // press, social media, reviews
	SignalRepeat          = "repeat_contact"  // third time I've called; prior contacts
	SignalSarcasm         = "sarcasm"         // praise words used against the firm
	SignalPraise          = "praise"          // satisfaction: lowers the score
	SignalNotComplaint    = "not_complaint"   // "not a complaint", "not your fault": lowers the score
)

// lexiconText is the weighted lexicon: signal, weight, phrase. A word ending
// in '*' matches any word with that prefix. Weights are log-odds added to the
// score; they were set by hand and tuned on the development half of
// testdata/messages.jsonl only (see docs/signals.md). Praise entries are
// negative: negated ("not happy") they count as dissatisfaction, in a
// sarcastic sentence as sarcasm. A weight of 0 consumes the phrase without
// effect, to stop a shorter entry inside it from matching.
const lexiconText = `
complaint_word 2.6 complaint
complaint_word 2.6 complaints
complaint_word 2.2 complain
complaint_word 2.2 complaining
complaint_word 3.0 formal complaint
complaint_word 3.0 make a complaint
complaint_word 3.0 raise a complaint
complaint_word 3.0 lodge a complaint
complaint_word 2.0 complaints procedure
complaint_word 2.0 complaints department
complaint_word 2.0 complaints team
- 0 complaint form
- 0 kind regards
- 0 best regards
- 0 warm regards
- 0 good day
- 0 good morning
- 0 good afternoon
- 0 good evening
- 0 great deal
- 0 would be grateful
- 0 thank you for your letter
- 0 thank you for your email
- 0 thank you for your reply
- 0 thanks for your reply
- 0 fca registration
- 0 legal expenses
- 0 power of attorney
- 0 legal cover
- 0 legal protection
- 0 fca number
- 0 fca registered
not_complaint -2.6 not a complaint
not_complaint -2.4 not complaining
not_complaint -2.4 no complaints
not_complaint -2.0 not your fault
not_complaint -1.6 nothing to do with you
not_complaint -1.8 not blaming you
not_complaint -1.8 not a criticism
not_complaint -1.4 no rush
not_complaint -1.2 no hurry
not_complaint -1.0 no problem
not_complaint -0.6 just a quick question
not_complaint -0.6 quick question
not_complaint -0.6 just wondering
not_complaint -0.6 just checking

dissatisfaction 1.8 disappointed
dissatisfaction 1.8 disappointing
dissatisfaction 1.4 disappointment
dissatisfaction 2.2 dissatisfied
dissatisfaction 2.2 dissatisfaction
dissatisfaction 1.8 serious concern
dissatisfaction 0.8 concern
dissatisfaction 1.6 condescending
dissatisfaction 1.4 distress
dissatisfaction 1.0 refused
dissatisfaction 1.0 rejected
dissatisfaction 1.4 dispute
dissatisfaction 1.4 not accept
dissatisfaction 1.4 don't accept
dissatisfaction 1.4 won't accept
dissatisfaction 1.4 is wrong
dissatisfaction 1.0 was wrong
dissatisfaction 1.4 done bad
dissatisfaction 1.4 underpaid
dissatisfaction 0.8 short of
dissatisfaction 1.0 overdrawn
dissatisfaction 1.2 two payments
dissatisfaction 1.2 was assured
dissatisfaction 1.7 was promised
dissatisfaction 1.6 without further delay
dissatisfaction 1.2 no update
dissatisfaction 1.2 without an update
dissatisfaction 1.4 no substantive update
dissatisfaction 1.0 didn't answer
dissatisfaction 1.2 they never do
dissatisfaction 1.0 where is my
dissatisfaction 1.2 on hold
dissatisfaction 1.5 on hold for
dissatisfaction 2.0 isn't acceptable
dissatisfaction 2.0 is not acceptable
dissatisfaction 1.8 lied to me
dissatisfaction 1.8 you lied
dissatisfaction 1.8 lying to me
dissatisfaction 1.2 own pocket
dissatisfaction 2.0 shameful
dissatisfaction 2.0 scandalous
dissatisfaction 2.0 diabolical
dissatisfaction 2.0 atrocious
dissatisfaction 1.6 dreadful
dissatisfaction 1.6 poor show
dissatisfaction 1.4 rubbish
dissatisfaction 1.2 crap
dissatisfaction 1.6 sick of
dissatisfaction 2.0 sick and tired
dissatisfaction 1.6 had enough
dissatisfaction 2.0 beyond a joke
dissatisfaction 1.6 laughable
dissatisfaction 1.0 joke
dissatisfaction 1.6 cowboys
dissatisfaction 1.8 scam
dissatisfaction 1.8 rip off
dissatisfaction 1.8 rip-off
dissatisfaction 1.8 ripped off
dissatisfaction 1.6 robbery
dissatisfaction 1.4 greedy
dissatisfaction 1.2 no help
dissatisfaction 2.0 unprofessional
dissatisfaction 1.8 negligent
dissatisfaction 1.6 negligence
dissatisfaction 1.0 failed to
dissatisfaction 0.8 failure
dissatisfaction 0.8 stress
dissatisfaction 0.8 stressful
dissatisfaction 1.6 expect better
dissatisfaction 1.6 expected better
dissatisfaction 1.6 not fair
dissatisfaction 1.6 isn't fair
dissatisfaction 1.6 is not fair
dissatisfaction 1.2 not right
dissatisfaction 1.2 isn't right
dissatisfaction 0.8 wasted
dissatisfaction 1.2 never received
dissatisfaction 1.2 never arrived
dissatisfaction 1.0 haven't received
dissatisfaction 1.0 not received
dissatisfaction 1.0 what is going on
dissatisfaction 1.0 what's going on
dissatisfaction 0.8 you told me
dissatisfaction 0.6 you said
dissatisfaction 0.5 i was told
dissatisfaction 0.8 why have you
dissatisfaction 0.8 why has my
dissatisfaction 0.8 why was my
dissatisfaction 0.8 why did you
dissatisfaction 0.8 no one
dissatisfaction 0.8 nobody
dissatisfaction 1.0 been * weeks
dissatisfaction 1.2 been * months
dissatisfaction 0.8 for weeks
dissatisfaction 1.0 for months
dissatisfaction 1.4 know my rights
dissatisfaction 1.0 my rights
dissatisfaction 2.2 unacceptable
dissatisfaction 2.2 disgusted
dissatisfaction 2.2 disgusting
dissatisfaction 2.2 disgraceful
dissatisfaction 2.2 a disgrace
dissatisfaction 2.2 appalling
dissatisfaction 2.2 appalled
dissatisfaction 1.8 shocking
dissatisfaction 1.6 shocked
dissatisfaction 1.8 outrageous
dissatisfaction 1.8 outraged
dissatisfaction 1.6 ridiculous
dissatisfaction 1.4 absurd
dissatisfaction 1.6 pathetic
dissatisfaction 1.6 useless
dissatisfaction 2.0 incompetent
dissatisfaction 2.0 incompetence
dissatisfaction 1.8 unhappy
dissatisfaction 1.6 fed up
dissatisfaction 1.8 let down
dissatisfaction 1.8 let me down
dissatisfaction 2.0 not good enough
dissatisfaction 1.6 a joke
dissatisfaction 1.6 waste of time
dissatisfaction 1.6 wasted my time
dissatisfaction 2.2 poor service
dissatisfaction 2.4 terrible service
dissatisfaction 2.4 awful service
dissatisfaction 2.2 bad service
dissatisfaction 2.4 worst service
dissatisfaction 2.2 poor customer service
dissatisfaction 2.4 terrible customer service
dissatisfaction 2.2 terrible experience
dissatisfaction 2.2 awful experience
dissatisfaction 2.0 worst insurer
dissatisfaction 2.0 worst company
dissatisfaction 0.6 terrible
dissatisfaction 0.6 awful
dissatisfaction 0.8 horrible
dissatisfaction 1.0 poor
dissatisfaction 0.8 worst
dissatisfaction 0.8 frustrated
dissatisfaction 0.8 frustrating
dissatisfaction 0.7 angry
dissatisfaction 0.9 furious
dissatisfaction 0.7 upset
dissatisfaction 0.7 annoyed
dissatisfaction 0.9 livid
dissatisfaction 1.6 ignored
dissatisfaction 1.6 ignoring
dissatisfaction 1.6 rude
dissatisfaction 1.4 unhelpful
dissatisfaction 1.6 hung up on me
dissatisfaction 1.2 lied
dissatisfaction 1.0 lying
dissatisfaction 1.8 misled
dissatisfaction 1.8 misleading
dissatisfaction 2.2 mis-sold
dissatisfaction 2.2 missold
dissatisfaction 2.2 mis sold
dissatisfaction 1.6 unfair
dissatisfaction 1.6 unfairly
dissatisfaction 1.2 unreasonable
dissatisfaction 1.6 overcharged
dissatisfaction 1.2 charged twice
dissatisfaction 1.2 double charged
dissatisfaction 1.4 no one has
dissatisfaction 1.4 nobody has
dissatisfaction 1.4 no one got back
dissatisfaction 1.4 nobody got back
dissatisfaction 1.4 no one called
dissatisfaction 1.4 nobody called
dissatisfaction 1.4 never called back
dissatisfaction 1.4 never got back
dissatisfaction 1.2 no response
dissatisfaction 1.2 no reply
dissatisfaction 1.2 not heard back
dissatisfaction 1.2 haven't heard
dissatisfaction 1.2 heard nothing
dissatisfaction 1.2 still haven't
dissatisfaction 1.2 still not
dissatisfaction 1.0 still no
dissatisfaction 1.2 still waiting
dissatisfaction 1.2 kept waiting
dissatisfaction 1.0 on hold for
dissatisfaction 1.0 taking forever
dissatisfaction 1.0 far too long
dissatisfaction 1.0 way too long
dissatisfaction 0.8 too long
dissatisfaction 0.6 delay
dissatisfaction 0.6 delays
dissatisfaction 0.6 delayed
dissatisfaction 1.2 lost my
dissatisfaction 1.0 messed up
dissatisfaction 1.0 mess
dissatisfaction 0.6 mistake
dissatisfaction 0.4 wrong
dissatisfaction 1.2 your fault
dissatisfaction 1.4 no excuse
dissatisfaction 1.4 how is this acceptable
dissatisfaction 1.4 how can you
dissatisfaction 1.2 i can't believe
dissatisfaction 1.0 can't believe
dissatisfaction 1.6 treated
dissatisfaction 1.4 nightmare
dissatisfaction 1.2 shambles
dissatisfaction 1.2 disaster
dissatisfaction 1.6 declined my claim
dissatisfaction 1.6 rejected my claim
dissatisfaction 1.2 refused to pay
dissatisfaction 1.2 refusing to pay
dissatisfaction 1.0 disagree
dissatisfaction 1.4 do not agree
dissatisfaction 1.4 don't agree
dissatisfaction 2.0 not acceptable
dissatisfaction 1.2 broken promises
dissatisfaction 1.4 promised
dissatisfaction 1.0 excuses

remedy_demand 0.5 refund
remedy_demand 0.6 reimburs*
remedy_demand 1.4 want an explanation
remedy_demand 0.8 an explanation
remedy_demand 1.2 full explanation
remedy_demand 1.4 decision reviewed
remedy_demand 1.4 review this decision
remedy_demand 0.8 corrected
remedy_demand 1.2 want a refund
remedy_demand 1.8 demand a refund
remedy_demand 1.4 demand
remedy_demand 0.8 entitled
remedy_demand 0.8 explain why
remedy_demand 1.0 sort it out
remedy_demand 0.8 fix this
remedy_demand 1.4 back the money
remedy_demand 1.8 compensation
remedy_demand 1.8 compensate
remedy_demand 1.4 apology
remedy_demand 1.6 an apology
remedy_demand 2.0 want an apology
remedy_demand 2.0 expect an apology
remedy_demand 1.8 put it right
remedy_demand 1.8 put this right
remedy_demand 1.8 put things right
remedy_demand 1.8 make it right
remedy_demand 1.8 make this right
remedy_demand 1.6 i demand
remedy_demand 1.4 i insist
remedy_demand 1.8 money back
remedy_demand 1.4 full refund
remedy_demand 1.6 reverse your decision
remedy_demand 1.6 reverse the decision
remedy_demand 1.4 reconsider
remedy_demand 1.4 review your decision
remedy_demand 1.4 review the decision
remedy_demand 1.6 overturn
remedy_demand 1.4 appeal
remedy_demand 1.4 goodwill
remedy_demand 1.0 i expect
remedy_demand 1.0 i want this sorted
remedy_demand 1.0 sort this out
remedy_demand 1.2 out of pocket
remedy_demand 1.2 inconvenience

escalation 1.6 escalate
escalation 1.6 escalated
escalation 1.6 speak to a manager
escalation 1.6 speak to your manager
escalation 1.6 speak to someone senior
escalation 1.4 manager
escalation 2.0 get me a manager
escalation 1.6 a manager
escalation 1.2 supervisor
escalation 1.2 someone senior
escalation 1.4 team leader
escalation 1.6 head office
escalation 1.8 chief executive
escalation 1.8 ceo
escalation 1.4 in writing

leave_threat 2.0 business elsewhere
leave_threat 1.8 never using
leave_threat 1.6 never use
leave_threat 2.0 never use you again
leave_threat 2.0 never be using you again
leave_threat 1.8 never again
leave_threat 1.6 won't be renewing
leave_threat 1.6 will not be renewing
leave_threat 1.4 not renewing
leave_threat 1.6 switch insurer
leave_threat 1.6 switching insurer
leave_threat 1.6 switching to
leave_threat 1.4 another insurer
leave_threat 1.4 go elsewhere
leave_threat 1.4 going elsewhere
leave_threat 1.6 will cancel
leave_threat 1.6 i'll cancel
leave_threat 1.4 going to cancel
leave_threat 1.6 i'll be cancelling
leave_threat 1.6 will be cancelling
leave_threat 1.4 i will leave
leave_threat 1.2 leave you
leave_threat 1.4 will be leaving
leave_threat 1.4 i'm leaving
leave_threat 1.8 recommend anyone
leave_threat 1.8 warn others
leave_threat 1.8 avoid this company
leave_threat 0.3 cancel

ombudsman 3.2 ombudsman
ombudsman 3.2 financial ombudsman
ombudsman 3.2 fos
ombudsman 3.2 afca
ombudsman 3.2 fspo
ombudsman 2.6 dispute resolution
ombudsman 2.6 external dispute
regulator 2.8 fca
regulator 2.8 financial conduct authority
regulator 2.8 asic
regulator 2.6 central bank
regulator 2.6 insurance department
regulator 2.6 department of insurance
regulator 2.6 insurance commissioner
regulator 2.8 regulator
regulator 2.2 trading standards
regulator 2.0 report you
regulator 2.0 reporting you
legal 2.8 legal action
legal 2.8 take you to court
legal 2.6 sue
legal 2.6 suing
legal 1.6 court
legal 2.0 small claims
legal 1.4 solicitor
legal 1.4 solicitors
legal 1.4 lawyer
legal 1.4 lawyers
legal 1.4 attorney
legal 1.8 my solicitor
legal 2.2 spoken to a solicitor
legal 2.2 speak to a solicitor
legal 2.2 spoken to a lawyer
legal 2.2 speak to a lawyer
legal 1.8 my lawyer
legal 1.4 legal advice
legal 0.6 legal
media 2.2 social media
media 1.6 twitter
media 1.2 facebook
media 1.8 trustpilot
media 2.0 the press
media 1.8 newspaper
media 1.8 newspapers
media 2.2 watchdog
media 1.4 the media
media 2.0 go public
media 1.2 reviews
media 1.0 review
media 1.6 bad review
media 1.4 everyone know
media 1.4 tell everyone

repeat_contact 1.6 third time
repeat_contact 1.6 3rd time
repeat_contact 1.8 fourth time
repeat_contact 1.8 4th time
repeat_contact 2.0 fifth time
repeat_contact 2.0 5th time
repeat_contact 1.0 second time
repeat_contact 1.0 2nd time
repeat_contact 1.2 yet again
repeat_contact 1.0 once again
repeat_contact 0.4 again
repeat_contact 1.2 chasing
repeat_contact 1.0 chase
repeat_contact 1.4 how many times
repeat_contact 1.4 how many more times
repeat_contact 1.2 several times
repeat_contact 1.4 numerous times
repeat_contact 1.2 multiple times
repeat_contact 1.2 many times
repeat_contact 1.2 three times
repeat_contact 1.2 3 times
repeat_contact 1.4 4 times
repeat_contact 1.4 5 times
repeat_contact 1.4 6 times
repeat_contact 1.4 second email
repeat_contact 1.4 second letter
repeat_contact 1.0 third week
repeat_contact 1.4 four times
repeat_contact 1.4 five times
repeat_contact 0.8 twice
repeat_contact 1.4 keep being told
repeat_contact 1.4 kept being told
repeat_contact 1.2 every time i call
repeat_contact 1.2 every time i ring
repeat_contact 1.0 each time
repeat_contact 1.0 repeatedly
repeat_contact 1.0 for the last time
repeat_contact 1.4 again and again
repeat_contact 1.4 over and over
repeat_contact 1.0 same answer
repeat_contact 1.2 already told
repeat_contact 1.0 already sent
repeat_contact 1.0 already provided
repeat_contact 0.4 already

sarcasm 2.0 thanks for nothing
sarcasm 2.0 thank you for nothing
sarcasm 2.0 cheers for nothing
sarcasm 1.4 yeah right
sarcasm 1.6 oh great
sarcasm 1.6 oh brilliant
sarcasm 1.6 oh fantastic
sarcasm 1.6 oh wonderful
sarcasm 1.6 oh perfect
sarcasm 1.6 you've managed to
sarcasm 1.2 just great
sarcasm 1.2 just brilliant
sarcasm 1.2 just perfect
sarcasm 1.0 great job
sarcasm 1.0 what a surprise
sarcasm 1.0 surprise surprise
sarcasm 1.2 bravo
sarcasm 1.0 as usual
sarcasm 1.0 typical

praise -1.2 happy
praise -1.2 pleased
praise -1.4 satisfied
praise -1.2 helpful
praise -1.0 great
praise -1.0 excellent
praise -1.0 brilliant
praise -1.0 fantastic
praise -1.0 amazing
praise -0.8 wonderful
praise -0.8 lovely
praise -0.4 perfect
praise -0.4 good
praise -1.2 thank you so much
praise -1.0 thanks so much
praise -1.0 many thanks
praise -0.4 thank you
praise -0.4 thanks
praise -1.2 appreciate
praise -1.2 appreciated
praise -1.4 well done
praise -1.0 impressed
praise -1.0 grateful
praise -1.0 recommend
praise -0.8 quick
praise -0.8 quickly
praise -0.8 smooth
praise -0.6 sorted
praise -0.6 resolved
praise -0.8 kind
praise -0.8 friendly
praise -0.6 easy
`

// entry is one lexicon phrase.
type entry struct {
	words  []string
	signal string
	weight float64
}

// lexicon maps a phrase's first word to its entries, longest first, so that
// the longest phrase at a position wins ("formal complaint" over
// "complaint"). Entries whose first word is a prefix ("disappoint*") are
// kept apart and tried at every position.
var lexicon, prefixEntries = parseLexicon(lexiconText)

func parseLexicon(text string) (map[string][]entry, []entry) {
	byFirst := map[string][]entry{}
	var prefixed []entry
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		w, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			panic("signals: bad lexicon weight in " + line)
		}
		e := entry{words: f[2:], signal: f[0], weight: w}
		if strings.HasSuffix(e.words[0], "*") {
			prefixed = append(prefixed, e)
			continue
		}
		list := append(byFirst[e.words[0]], e)
		for i := len(list) - 1; i > 0 && len(list[i].words) > len(list[i-1].words); i-- {
			list[i], list[i-1] = list[i-1], list[i]
		}
		byFirst[e.words[0]] = list
	}
	return byFirst, prefixed
}

// wordMatches reports whether a lexicon word (maybe a prefix ending in '*')
// matches a token.
func wordMatches(pattern, w string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(w, p)
	}
	return pattern == w
}
