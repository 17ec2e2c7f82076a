package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/smtp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/mail/mailtest"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// The whole mail loop through serve's wiring: a real SMTP client sends to
// the listener, a case appears, its acknowledgement leaves through the
// relay, the customer's reply to it threads into the same case, and serve
// stops cleanly with the listener.
func TestServeMailLoop(t *testing.T) {
	dsn, addr, smtpAddr := storetest.DSN(t, store.SQLite), freeAddr(t), freeAddr(t)
	relay := mailtest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", dsn, "--addr", addr, "--sweep-every", "100ms",
			"--smtp-addr", smtpAddr, "--mail-domains", "care.example.com, claims.example.com",
			"--smtp-host", relay.Host, "--smtp-port", strconv.Itoa(relay.Port), "--smtp-security", "none",
			"--mail-from", "Care <care@care.example.com>"}, stdio{strings.NewReader(""), &out, &errb})
	}()
	waitFor(t, "http://"+addr+"/healthz", done, &errb)
	if !strings.Contains(out.String(), "receiving mail for care.example.com, claims.example.com on smtp://"+smtpAddr) {
		t.Fatalf("serve did not announce the listener:\n%s", out.String())
	}
	sendMail := func(raw string) {
		t.Helper()
		if err := smtp.SendMail(smtpAddr, nil, "lee@example.org", []string{"care@care.example.com"},
			[]byte(strings.ReplaceAll(raw, "\n", "\r\n"))); err != nil {
			t.Fatal(err)
		}
	}
	sendMail("From: Lee Chen <lee@example.org>\nTo: care@care.example.com\nSubject: Storm damage\n" +
		"Message-ID: <lee-1@example.org>\n\nA tree fell on my garage roof.\n")
	var ack mailtest.Received
	deadline := time.Now().Add(20 * time.Second)
	for len(relay.Messages()) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no acknowledgement reached the relay: %s", errb.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	ack = relay.Messages()[0]
	ref := ack.Header.Get("Subject")
	if ack.To[0] != "lee@example.org" || !strings.HasPrefix(ref, "[CD-") ||
		ack.Header.Get("In-Reply-To") != "<lee-1@example.org>" {
		t.Fatalf("acknowledgement: to %v headers %v", ack.To, ack.Header)
	}
	ref = ref[1:strings.IndexByte(ref, ']')]
	sendMail("From: lee@example.org\nTo: care@care.example.com\nSubject: Re: photos\nMessage-ID: <lee-2@example.org>\n" +
		"In-Reply-To: " + ack.Header.Get("Message-Id") + "\n\nPhotos to follow.\n")

	code, tok, errs := runCLI(t, "", "token", "create", "--db", dsn, "--email", "admin@caredesk.local")
	if code != 0 {
		t.Fatalf("token create: %s", errs)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/cases/"+ref+"/interactions", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var list struct {
		Items []struct {
			Channel, Direction, Body string
		} `json:"items"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(body, &list) != nil || len(list.Items) != 2 ||
		list.Items[1].Body != "Photos to follow." || list.Items[0].Channel != "email" {
		t.Fatalf("interactions of %s: %d %s", ref, resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after its context ended")
	}
	if err := smtp.SendMail(smtpAddr, nil, "a@example.org", []string{"care@care.example.com"}, []byte("Subject: x\r\n\r\nx\r\n")); err == nil {
		t.Fatal("the SMTP listener still accepts mail after serve stopped")
	}
}

func TestServeRefusesBadMailSettings(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--smtp-addr", "127.0.0.1:0"}, "mail-domains"},
		{[]string{"--smtp-addr", "127.0.0.1:0", "--mail-domains", "care example"}, "mail-domains"},
		{[]string{"--smtp-max-bytes", "0"}, "smtp-max-bytes"},
		{[]string{"--imap-addr", "imap.example.com:993"}, "imap-user"},
		{[]string{"--imap-addr", "imap.example.com:993", "--imap-user", "u", "--imap-security", "ssl"}, "imap-security"},
	} {
		code, _, errs := runCLI(t, "", append([]string{"serve", "--db", dsn, "--addr", freeAddr(t)}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want exit 2 naming %s", tc.args, code, errs, tc.want)
		}
	}
}
