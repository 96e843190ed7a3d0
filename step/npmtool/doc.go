// Package npmtool installs one package of the npm registry into a
// toolchain root, as `npm install --global` lays it out: the tarball is
// checked against its pinned sha512 integrity before anything is read
// from it, unpacked under usr/local/lib/node_modules/<name>, and each of
// its package.json "bin" commands linked from usr/local/bin. It is what
// site.build.npm runs (`layercake unpack-npm`), so a Node.js toolchain
// needs only Debian's nodejs, not Debian's npm and its dependencies.
package npmtool
