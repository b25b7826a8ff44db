//go:build unix

// Command rusage runs a command as its child and, when the child exits,
// appends one line to a file:
//
//	<wall seconds> <user CPU seconds> <system CPU seconds> <peak RSS KiB (Linux)> <exit code> <command name>
//
// The CPU figures come from wait4(2): they include every descendant the child
// waited for (Terraform waits for its provider plugins). The peak RSS is the
// largest resident set of the child or any such descendant. scripts/bench.sh
// runs terraform under it, and names a small shell script that execs the
// provider under it in dev_overrides, so both are measured without
// /usr/bin/time.
//
// Standard input, output and error, the environment and the working directory
// are the child's own (the plugin handshake on stdout passes through
// untouched); SIGINT, SIGTERM, SIGHUP and SIGQUIT are forwarded to the child.
// The exit code is the child's (128+signal when a signal ended it).
//
//	go run ./scripts/rusage -o usage.txt -- terraform plan
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	out := flag.String("o", "", "append the usage line to this `file` (required)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: rusage -o FILE -- COMMAND [ARGS...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}

	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "rusage:", err)
		os.Exit(127)
	}
	go func() {
		for s := range signals {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	signal.Stop(signals)

	code := 0
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal())
		}
	default:
		fmt.Fprintln(os.Stderr, "rusage:", err)
		os.Exit(127)
	}

	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		line := fmt.Sprintf("%.3f %.3f %.3f %d %d %s\n", wall.Seconds(),
			seconds(ru.Utime), seconds(ru.Stime), ru.Maxrss, code, filepath.Base(flag.Arg(0)))
		if werr := appendLine(*out, line); werr != nil {
			fmt.Fprintln(os.Stderr, "rusage:", werr)
		}
	}
	os.Exit(code)
}

func seconds(tv syscall.Timeval) float64 {
	return float64(tv.Sec) + float64(tv.Usec)/1e6
}

// appendLine writes line with one write(2) on an O_APPEND file, so lines
// from plugins running at the same time do not interleave.
func appendLine(name, line string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
