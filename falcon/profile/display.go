package profile

import "fmt"

// Display returns the display settings kept for a profile name (the zero value when none
// are). It reads only the settings file, never the keyring.
func (s *Store) Display(name string) (Display, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := readSettings(s.Path())
	if err != nil {
		return Display{}, err
	}
	return f.Display[name], nil
}

// Displays returns the display settings of every profile name that has some.
func (s *Store) Displays() (map[string]Display, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := readSettings(s.Path())
	if err != nil {
		return nil, err
	}
	return f.Display, nil
}

// SetDisplay keeps display settings for a profile name, leaving everything else in the
// settings file as it was.
func (s *Store) SetDisplay(name string, d Display) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	for _, c := range d.HostColumns {
		if len(c) > 64 {
			return fmt.Errorf("%w column %q", ErrInvalid, c[:64])
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := readSettings(s.Path())
	if err != nil {
		return err
	}
	if f.Display == nil {
		f.Display = map[string]Display{}
	}
	if len(d.HostColumns) == 0 {
		delete(f.Display, name)
	} else {
		f.Display[name] = d
	}
	return writeSettings(s.dir, f)
}
