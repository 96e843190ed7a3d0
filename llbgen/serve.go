package llbgen

import (
	"fmt"
	"path"
	"time"

	"github.com/layercake-build/layercake/nginxconf"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
)

// Snippet is one server.include file: its path in the build context and
// its bytes.
type Snippet struct {
	Path string
	Data []byte
}

// serverConfig is what nginx.conf is made from.
func (in Input) serverConfig() nginxconf.Config {
	srv := in.Spec.Server
	return nginxconf.Config{
		Port: srv.Port, Root: WebRoot, Headers: srv.Headers, Health: srv.Health, IPv6: srv.IPv6,
		Gzip: srv.Compresses(spec.EncodingGzip), Brotli: srv.Compresses(spec.EncodingBrotli),
		Rules: in.Rules, ServerSnippets: srv.Include.Server, LocationSnippets: srv.Include.Location,
	}
}

// serverConfigLayer holds the generated nginx.conf and the snippets it
// includes, each under nginxconf.SnippetDir at its path in the build context, so nginx
// errors name that path.
func serverConfigLayer(epoch time.Time, conf string, snippets []Snippet, at llb.ConstraintsOpt) Layer {
	t := llb.WithCreatedTime(epoch)
	fa := llb.Mkdir("/etc/layercake", 0o755, llb.WithParents(true), t).
		Mkfile(nginxconf.ConfigPath, 0o644, []byte(conf), t)
	for _, s := range snippets {
		p := path.Join(nginxconf.SnippetDir, s.Path)
		fa = fa.Mkdir(path.Dir(p), 0o755, llb.WithParents(true), t).Mkfile(p, 0o644, s.Data, t)
	}
	staging := llb.Scratch().File(fa, Progress("stage nginx.conf"), at)
	name := "nginx.conf (" + nginxconf.ConfigPath + ")"
	if len(snippets) > 0 {
		name = fmt.Sprintf("nginx.conf and %d snippets (%s)", len(snippets), path.Dir(nginxconf.ConfigPath))
	}
	return Layer{Name: name, State: pin(staging, epoch, "nginx.conf", []llb.ConstraintsOpt{at})}
}

// CheckResult is the file of the Check state that holds nginx -t's result:
// "exit N" on the first line, then its messages with snippet paths as they
// are in the build context.
const CheckResult = "/nginx-t.txt"

// nginxCheck runs `nginx -t` inside the image with no network, through the
// helper's `layercake nginx-test`: it runs nginx as nobody (the runtime
// user), maps snippet paths back to the build context, and writes the result
// to CheckResult in its output, which is the returned state. The frontend
// reads it and shows a failure with the snippet's lines.
func (s packageSource) nginxCheck(img llb.State) llb.State {
	run := img.Run(
		llb.Args([]string{helperMount + HelperBinary, "nginx-test",
			"--user", fmt.Sprintf("%d:%d", NobodyUID, NobodyGID), "--result", "/out" + CheckResult, "--", // snippets in nginxconf.SnippetDir
			nginxconf.NginxBinary, "-t", "-c", nginxconf.ConfigPath, "-e", "stderr"}),
		llb.Network(llb.NetModeNone),
		llb.AddMount(helperMount, s.helper(s.at(atServer)), llb.Readonly),
		Progress("nginx -t (check the generated config)"), s.at(atServer))
	return run.AddMount("/out", llb.Scratch())
}
