package demo

type person struct{ email, name, role, team string }

var people = []person{
	{"amelia.hughes@demo.caredesk.example", "Amelia Hughes", "agent", "Contact Centre"},
	{"rohan.mehta@demo.caredesk.example", "Rohan Mehta", "agent", "Contact Centre"},
	{"grace.okafor@demo.caredesk.example", "Grace Okafor", "agent", "Contact Centre"},
	{"liam.byrne@demo.caredesk.example", "Liam Byrne", "agent", "Contact Centre"},
	{"sofia.rossi@demo.caredesk.example", "Sofia Rossi", "supervisor", "Contact Centre"},
	{"hannah.price@demo.caredesk.example", "Hannah Price", "complaints_handler", "Complaints"},
	{"daniel.kowalski@demo.caredesk.example", "Daniel Kowalski", "complaints_handler", "Complaints"},
	{"priya.nair@demo.caredesk.example", "Priya Nair", "claims_handler", "Claims"},
	{"tom.fletcher@demo.caredesk.example", "Tom Fletcher", "claims_handler", "Claims"},
	{"chloe.martin@demo.caredesk.example", "Chloe Martin", "qa_analyst", "Quality"},
	{"owen.evans@demo.caredesk.example", "Owen Evans", "workforce_planner", ""},
	{"fatima.begum@demo.caredesk.example", "Fatima Begum", "compliance", ""},
	{"george.clarke@demo.caredesk.example", "George Clarke", "auditor", ""},
}

var dispositions = [][2]string{
	{"resolved_first_contact", "Resolved at first contact"},
	{"information_given", "Information given"},
	{"callback_promised", "Call-back promised"},
	{"documents_requested", "Documents requested"},
	{"payment_taken", "Payment taken"},
	{"transferred", "Transferred to another team"},
	{"complaint_logged", "Complaint logged"},
	{"escalated", "Escalated to a supervisor"},
}

var dispositionCodes = func() []string {
	out := make([]string, len(dispositions))
	for i, d := range dispositions {
		out[i] = d[0]
	}
	return out
}()

var firstNames = []string{"Oliver", "Amelia", "Jack", "Isla", "Harry", "Ava", "George", "Mia", "Noah", "Emily",
	"Charlie", "Sophie", "Muhammad", "Grace", "Leo", "Lily", "Arthur", "Freya", "Oscar", "Ella", "Aisha", "Kwame",
	"Siobhan", "Ciaran", "Mei", "Raj", "Zofia", "Mateusz", "Chiara", "Aoife"}

var lastNames = []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
	"Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan", "Murphy",
	"O'Brien", "Nowak", "Chen", "Singh", "Okoye", "Kelly", "Campbell", "Lewis", "Hughes", "Ahmed"}

var streets = []string{"High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane",
	"Queens Road", "Kings Road", "Manor Way", "The Crescent"}

var towns = []string{"Leeds LS6 2AB", "Bristol BS8 1TH", "Manchester M14 5RQ", "Cardiff CF10 3AT", "Norwich NR2 4PD",
	"York YO1 7HH", "Glasgow G12 8QQ", "Belfast BT7 1NN", "Brighton BN1 3XE", "Exeter EX4 4QJ"}

var vulnerabilityNotes = []string{"Recently bereaved; prefers email contact.", "Hearing impairment: use text relay or email.",
	"Financial difficulty disclosed; follow hardship process.", "Cognitive condition: confirm understanding, allow extra time.",
	"Serious illness disclosed; handle with priority."}

var followUps = []string{
	"Called the customer back with an update; customer thanked us.",
	"Customer sent the requested documents.",
	"Chased the third party for their report.",
	"Customer asked when they will hear back.",
	"Explained the next steps and expected timescales.",
	"Left a voicemail asking the customer to call back.",
}

// templates per case type: subject and body, each with the policy number.
var templates = map[string][][2]string{
	"enquiry": {
		{"Cover question on %s", "Hello, does my policy %s cover me for driving other cars? I'm borrowing my sister's car next week."},
		{"Excess amount on %s", "Could you tell me what the excess is on policy %s for an escape of water claim?"},
		{"Documents for %s", "I can't find my certificate for %s, can you send it again please?"},
		{"Renewal price %s", "My renewal for %s has gone up a lot. Can you explain why?"},
	},
	"service_request": {
		{"Change of address on %s", "I have moved house. Please update the address on policy %s from next Monday."},
		{"Add a named driver to %s", "Please add my partner as a named driver on %s. She has held a licence for 6 years."},
		{"Change payment date %s", "Can I move my monthly payment date for %s to the 15th?"},
		{"Cancel %s", "I have sold the car, please cancel %s from the end of the month."},
	},
	"claim": {
		{"Windscreen damage %s", "A stone cracked my windscreen on the motorway this morning. Policy %s. Can you arrange a repair?"},
		{"Burst pipe %s", "A pipe burst under the kitchen sink overnight and the floor is soaked. My home policy is %s."},
		{"Stolen bicycle %s", "My bike was stolen from the garden shed. Crime reference 4512/23. Policy %s."},
		{"Rear-end collision %s", "Someone drove into the back of me at a roundabout. Nobody hurt. Policy %s, I have their details."},
	},
	"complaint": {
		{"Unhappy with claim delay %s", "I reported my claim on %s five weeks ago and nobody has called me back. This is not acceptable and I want it sorted and some compensation for the stress."},
		{"Claim declined unfairly %s", "You declined my claim on %s saying it was wear and tear. That is wrong, the plumber's report says otherwise. I will go to the ombudsman if this is not put right."},
		{"Wrongly charged on %s", "You took two payments this month for %s. I want the extra payment refunded immediately and an explanation."},
		{"Rude call handler %s", "The person I spoke to about %s yesterday was dismissive and hung up on me. I expect an apology."},
	},
}
