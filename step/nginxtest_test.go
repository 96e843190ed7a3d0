package step

import "testing"

func TestContextPaths(t *testing.T) {
	log := `nginx: [emerg] unknown directive "add_heder" in /etc/layercake/context/nginx/feed-cors.conf:3
nginx: configuration file /etc/layercake/nginx.conf test failed
`
	want := `nginx/feed-cors.conf:3: unknown directive "add_heder"
nginx: [emerg] unknown directive "add_heder" in nginx/feed-cors.conf:3 (build context)
nginx: configuration file /etc/layercake/nginx.conf test failed
`
	if got := contextPaths(log, "/etc/layercake/context"); got != want {
		t.Errorf("contextPaths() =\n%s\nwant\n%s", got, want)
	}
	logForm := "2026/12/03 09:10:46 [emerg] 11#11: unknown directive \"x\" in /etc/layercake/context/a.conf:1\n"
	wantLog := "a.conf:1: unknown directive \"x\"\n2026/12/03 09:10:46 [emerg] 11#11: unknown directive \"x\" in a.conf:1 (build context)\n"
	if got := contextPaths(logForm, "/etc/layercake/context"); got != wantLog {
		t.Errorf("contextPaths() =\n%s\nwant\n%s", got, wantLog)
	}
	same := "nginx: [emerg] bad in /etc/layercake/nginx.conf:12\n"
	if got := contextPaths(same, "/etc/layercake/context"); got != same {
		t.Errorf("contextPaths() changed a message about the generated config: %q", got)
	}
}
