package llbgen

import (
	"time"

	"github.com/moby/buildkit/client/llb"
)

// WebRoot is the folder nginx serves.
const WebRoot = "/srv/www"

// Unprivileged identity nginx runs as.
const (
	NobodyUID = 65534
	NobodyGID = 65534
)

const passwd = `root:x:0:0:root:/root:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/var/empty:/usr/sbin/nologin
`

const group = `root:x:0:
nogroup:x:65534:
`

const nsswitch = `passwd: files
group: files
shadow: files
hosts: files dns
`

// nssLayer holds the few files glibc reads to name users and groups.
func nssLayer(epoch time.Time, at llb.ConstraintsOpt) Layer {
	t := llb.WithCreatedTime(epoch)
	staging := llb.Scratch().File(
		llb.Mkdir("/etc", 0o755, t).
			Mkfile("/etc/passwd", 0o644, []byte(passwd), t).
			Mkfile("/etc/group", 0o644, []byte(group), t).
			Mkfile("/etc/nsswitch.conf", 0o644, []byte(nsswitch), t).
			Mkdir("/var/empty", 0o755, llb.WithParents(true), t),
		Progress("stage fake NSS files"), at)
	return Layer{Name: "fake NSS (/etc/passwd, /etc/group, /etc/nsswitch.conf)", State: pin(staging, epoch, "fake NSS files", []llb.ConstraintsOpt{at})}
}

// usrMergeArchs are the Debian architectures whose dynamic loader is looked up
// under /lib64.
var usrMergeArchs = map[string]bool{"amd64": true, "ppc64el": true}

// TmpMode is /tmp's mode in the image: world-writable with the sticky bit.
// These are raw unix bits: a copy's chmod keeps the sticky bit, while
// Mkdir masks its mode with 0777 and then with the daemon's umask (0 for a
// standalone buildkitd, 022 for Docker Engine's embedded BuildKit).
const TmpMode = 0o1777

// TempDirs are nginx's temp folders, made in the image (owned by nginx's
// user, mode TempDirMode) so that nginx's start also works on a read-only
// root with no tmpfs over /tmp: nginx runs mkdir on each and accepts
// EEXIST, and Linux reports EEXIST for an existing name before EROFS.
// A tmpfs over /tmp hides them, and nginx then makes them itself.
var TempDirs = []string{"/tmp/client_body", "/tmp/proxy", "/tmp/fastcgi", "/tmp/uwsgi", "/tmp/scgi"}

// TempDirMode is what nginx itself gives a temp folder it makes.
const TempDirMode = 0o700

// skeletonLayer holds the folders nginx may write to, the merged-/usr
// links that ELF interpreters and scripts expect (/lib64/ld-linux-x86-64.so.2)
// and os-release (see OSRelease). Folder modes are set by the copy into
// scratch, never by Mkdir, so they do not depend on the builder's umask.
func skeletonLayer(epoch time.Time, debArch, suite string, at llb.ConstraintsOpt) Layer {
	t := llb.WithCreatedTime(epoch)
	nobody := llb.WithUIDGID(NobodyUID, NobodyGID)
	fa := llb.Mkdir("/var/log", 0o755, llb.WithParents(true), t).
		Mkdir("/var/cache", 0o755, t).
		Mkdir("/var/log/nginx", 0o755, nobody, t).
		Mkdir("/var/cache/nginx", 0o755, nobody, t).
		Mkdir("/usr/lib", 0o755, llb.WithParents(true), t).
		Mkdir("/etc", 0o755, t).
		Symlink("../usr/lib/os-release", "/etc/os-release", t)
	links := []string{"bin", "lib", "sbin"}
	if usrMergeArchs[debArch] {
		links = append(links, "lib64")
	}
	for _, l := range links {
		fa = fa.Symlink("usr/"+l, "/"+l, t)
	}
	staging := llb.Scratch().File(fa, Progress("stage filesystem skeleton"), at)
	tmp := llb.Scratch().File(llb.Mkdir("/tmp", 0o755, t), Progress("stage /tmp"), at)
	temps := llb.Mkdir("/tmp", 0o755, t)
	for _, d := range TempDirs {
		temps = temps.Mkdir(d, 0o700, t)
	}
	tempDirs := llb.Scratch().File(temps, Progress("stage nginx temp folders"), at)
	release := llb.Scratch().File(llb.Mkfile("/os-release", 0o644, OSRelease(suite), t), Progress("stage os-release"), at)
	fa = llb.Copy(staging, "/", "/", &llb.CopyInfo{CopyDirContentsOnly: true, CreatedTime: &epoch, Mode: &llb.ChmodOpt{Mode: 0o755}}).
		Copy(tmp, "/tmp", "/tmp", &llb.CopyInfo{CreatedTime: &epoch, Mode: &llb.ChmodOpt{Mode: TmpMode}}).
		Copy(release, "/os-release", "/usr/lib/os-release", &llb.CopyInfo{CreatedTime: &epoch, Mode: &llb.ChmodOpt{Mode: 0o644}})
	for _, d := range TempDirs { // one by one: a copy's chmod applies to all it copies
		fa = fa.Copy(tempDirs, d, d, &llb.CopyInfo{CreatedTime: &epoch, Mode: &llb.ChmodOpt{Mode: TempDirMode}}, nobody)
	}
	// Copying a file into /usr/lib sets the folder's time to the wall
	// clock, so the assembled skeleton is pinned by one more copy, which
	// keeps the modes and owners set above.
	assembled := llb.Scratch().File(fa, Progress("assemble filesystem skeleton"), at)
	pinned := pin(assembled, epoch, "filesystem skeleton", []llb.ConstraintsOpt{at})
	return Layer{Name: "filesystem skeleton (/tmp and nginx's temp folders, /var/log/nginx, /var/cache/nginx, merged /usr links, os-release)", State: pinned}
}
