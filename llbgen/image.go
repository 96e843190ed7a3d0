package llbgen

import (
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/layercake-build/layercake/nginxconf"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// pathEnv is the PATH of the image and of every toolchain step.
const pathEnv = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// Cmd starts nginx in the foreground with the generated config; -e stderr
// keeps it from opening the compiled-in error log before reading the config.
func Cmd() []string {
	return []string{nginxconf.NginxBinary, "-c", nginxconf.ConfigPath, "-e", "stderr"}
}

// imageConfig describes the image: nginx as nobody, the port, SIGQUIT for a
// graceful stop, and one history entry per layer naming its dependency.
func imageConfig(p ocispecs.Platform, epoch time.Time, port int, labels map[string]string, layers []Layer) dockerspec.DockerOCIImage {
	created := epoch
	img := dockerspec.DockerOCIImage{}
	img.Created = &created
	img.Platform = ocispecs.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}
	img.RootFS.Type = "layers"
	img.Config.User = strconv.Itoa(NobodyUID) + ":" + strconv.Itoa(NobodyGID)
	img.Config.Cmd = Cmd()
	img.Config.Env = []string{pathEnv}
	img.Config.WorkingDir = "/"
	img.Config.StopSignal = "SIGQUIT"
	img.Config.ExposedPorts = map[string]struct{}{strconv.Itoa(port) + "/tcp": {}}
	if len(labels) > 0 {
		img.Config.Labels = maps.Clone(labels)
	}
	for _, l := range layers {
		img.History = append(img.History, ocispecs.History{
			Created:   &created,
			CreatedBy: "layercake: " + l.Name,
			Comment:   "layercake",
		})
	}
	img.History = append(img.History, ocispecs.History{
		Created:    &created,
		CreatedBy:  "layercake: CMD " + strings.Join(Cmd(), " "),
		Comment:    "layercake",
		EmptyLayer: true,
	})
	return img
}
