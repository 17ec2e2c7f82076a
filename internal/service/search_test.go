package service_test

import (
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

func TestSearch(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		agent := f.as["agent"]
		ada := &care.Customer{Name: "Ada Lovelace", Email: "ada@example.com", Phone: "+44 20 7946 0018", ExternalRef: "PH-1815"}
		bob := &care.Customer{Name: "Bob 100% Smith", Email: "bob@example.com"}
		for _, c := range []*care.Customer{ada, bob} {
			if err := f.svc.CreateCustomer(agent, c); err != nil {
				t.Fatal(err)
			}
		}
		pol := &care.Policy{CustomerID: bob.ID, Number: "MOT-778812", Line: "motor", Start: clk.Now(), End: clk.Now().AddDate(1, 0, 0)}
		if err := f.svc.CreatePolicy(f.as["supervisor"], pol); err != nil {
			t.Fatal(err)
		}
		mk := func(cust int64, subject, desc string) *care.Case {
			c, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email",
				CustomerID: cust, Subject: subject, Description: desc}})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		adaCase := mk(ada.ID, "Windscreen chip", "")
		bobCase := mk(bob.ID, "Renewal price", "Why did my premium rise by 100%?")
		other := mk(0, "Hailstones dented the bonnet", "")

		for _, tc := range []struct {
			q         string
			cases     []int64
			customers int
		}{
			{adaCase.Reference, []int64{adaCase.ID}, 0},
			{"ADA@example.com", []int64{adaCase.ID}, 1},
			{"020 7946 0018", nil, 0}, // not the stored international form: no match
			{"+44 (20) 7946-0018", []int64{adaCase.ID}, 1},
			{"lovelace", []int64{adaCase.ID}, 1},
			{"ph-1815", []int64{adaCase.ID}, 1},
			{"mot-778812", []int64{bobCase.ID}, 0},
			{"hailstone", []int64{other.ID}, 0},
			{"100%", []int64{bobCase.ID}, 1}, // % is literal, not a wildcard
			{"premium rise", []int64{bobCase.ID}, 0},
		} {
			res, err := f.svc.Search(agent, care.SearchFilter{Query: tc.q})
			if err != nil {
				t.Fatalf("%q: %v", tc.q, err)
			}
			var got []int64
			for _, it := range res.Cases {
				got = append(got, it.Case.ID)
			}
			if len(got) != len(tc.cases) || (len(got) > 0 && got[0] != tc.cases[0]) || len(res.Customers) != tc.customers {
				t.Errorf("%q: cases %v customers %d, want %v and %d", tc.q, got, len(res.Customers), tc.cases, tc.customers)
			}
		}
		if _, err := f.svc.Search(agent, care.SearchFilter{Query: "a"}); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("one character: %v", err)
		}
		res, err := f.svc.Search(f.as["workforce_planner"], care.SearchFilter{Query: "lovelace"})
		if err != nil || len(res.Customers) != 0 || len(res.Cases) != 1 {
			t.Errorf("a role without customer:read sees customers: %v %+v", err, res)
		}
	})
}
