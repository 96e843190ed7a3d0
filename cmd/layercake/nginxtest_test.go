package main

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
	same := "nginx: [emerg] bad in /etc/layercake/nginx.conf:12\n"
	if got := contextPaths(same, "/etc/layercake/context"); got != same {
		t.Errorf("contextPaths() changed a message about the generated config: %q", got)
	}
}
