package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// stateVersion is the format version of the state file.
const stateVersion = 1

// stateFile is the persisted store. It contains private keys in clear text: demos only.
type stateFile struct {
	Version      int                `json:"version"`
	NextNo       int64              `json:"next_certificate_no"`
	Certificates []stateCertificate `json:"certificates"`
}

type stateCertificate struct {
	No             int64     `json:"certificate_no"`
	Name           string    `json:"name"`
	Type           string    `json:"type"`
	PrivateKeyPEM  string    `json:"private_key_pem"`
	CertificatePEM string    `json:"certificate_pem"`
	ChainPEM       string    `json:"certificate_chain_pem"`
	InstanceNos    []string  `json:"instance_nos"`
	ForcedStatus   string    `json:"forced_status,omitempty"`
	RegisteredAt   time.Time `json:"registered_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Save writes the store to Options.StateFile atomically (temporary file, then rename). It
// does nothing when no state file is configured. The file holds private keys and is
// created with mode 0600.
func (s *Server) Save() error {
	if s.opts.StateFile == "" {
		return nil
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	certs, nextNo := s.store.snapshot()
	st := stateFile{Version: stateVersion, NextNo: nextNo, Certificates: make([]stateCertificate, len(certs))}
	for i, c := range certs {
		st.Certificates[i] = stateCertificate{
			No: c.No, Name: c.Name, Type: c.Type,
			PrivateKeyPEM: c.Material.KeyPEM, CertificatePEM: c.Material.CertPEM, ChainPEM: c.Material.chainPEM(),
			InstanceNos: instanceList(c.InstanceNos), ForcedStatus: c.ForcedStatus,
			RegisteredAt: c.RegisteredAt, UpdatedAt: c.UpdatedAt,
		}
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("mockserver: encoding state: %w", err)
	}
	return writeFileAtomic(s.opts.StateFile, append(data, '\n'))
}

// writeFileAtomic replaces path with data so readers see the old or the new file, never a
// partial one.
func writeFileAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("mockserver: writing state: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("mockserver: writing state: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("mockserver: writing state: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("mockserver: writing state: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("mockserver: writing state: %w", err)
	}
	return nil
}

// load fills the store from Options.StateFile; a missing file is an empty store.
func (s *Server) load() error {
	data, err := os.ReadFile(s.opts.StateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mockserver: reading state: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("mockserver: state file %s: %w", s.opts.StateFile, err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("mockserver: state file %s: unsupported version %d", s.opts.StateFile, st.Version)
	}
	certs := make([]certificate, 0, len(st.Certificates))
	seenNo, seenName := map[int64]bool{}, map[string]bool{}
	for _, sc := range st.Certificates {
		if sc.No <= 0 || seenNo[sc.No] || seenName[sc.Name] {
			return fmt.Errorf("mockserver: state file %s: certificate %d %q is invalid or duplicated", s.opts.StateFile, sc.No, sc.Name)
		}
		seenNo[sc.No], seenName[sc.Name] = true, true
		if sc.Type == "" {
			sc.Type = typeExternal
		}
		m, meta, err := parseUpload(sc.PrivateKeyPEM, sc.CertificatePEM, sc.ChainPEM)
		if err != nil {
			return fmt.Errorf("mockserver: state file %s: certificate %d: %w", s.opts.StateFile, sc.No, err)
		}
		if _, known := statusCodes[sc.ForcedStatus]; sc.ForcedStatus != "" && !known {
			return fmt.Errorf("mockserver: state file %s: certificate %d: unknown status %q", s.opts.StateFile, sc.No, sc.ForcedStatus)
		}
		certs = append(certs, certificate{
			No: sc.No, Name: sc.Name, Type: sc.Type, Material: m, Meta: meta,
			RegisteredAt: sc.RegisteredAt, UpdatedAt: sc.UpdatedAt,
			InstanceNos: instanceList(sc.InstanceNos), ForcedStatus: sc.ForcedStatus,
		})
	}
	s.store.restore(certs, st.NextNo)
	return nil
}
