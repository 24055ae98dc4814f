package storage

import (
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// keySkills, in meta, holds the skills this instance adds to
// catalogue.DefaultSkills: a JSON list of catalogue.Skill. Absent until
// the first addition, so the schema version is unchanged.
var keySkills = []byte("competences")

// Skills returns the instance's list of skills: catalogue.DefaultSkills,
// then the additions (AddSkill) in the order they were made.
func (s *Store) Skills() ([]catalogue.Skill, error) {
	var list []catalogue.Skill
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		list, err = skillsIn(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read skills: %w", err)
	}
	return list, nil
}

// AddSkill adds sk to the instance's list of skills. A bad id or label,
// or an id already listed, is a *catalogue.ValidationError naming the
// field; nothing is written then.
func (s *Store) AddSkill(sk catalogue.Skill) error {
	if err := catalogue.CheckSkill(sk); err != nil {
		return err
	}
	err := s.update(func(tx *bolt.Tx) error {
		list, err := skillsIn(tx)
		if err != nil {
			return err
		}
		if label := catalogue.SkillLabel(list, sk.ID); label != "" {
			return &catalogue.ValidationError{Fields: map[string]string{"id": fmt.Sprintf("la compétence « %s » est déjà dans la liste (%s)", sk.ID, label)}}
		}
		added := append(slices.Clone(list[len(catalogue.DefaultSkills):]), sk)
		data, err := json.Marshal(added)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySkills, data)
	}, nil)
	if err != nil {
		return fmt.Errorf("add skill: %w", err)
	}
	return nil
}

// skillsIn reads the instance's list of skills in tx.
func skillsIn(tx *bolt.Tx) ([]catalogue.Skill, error) {
	list := slices.Clone(catalogue.DefaultSkills)
	data := tx.Bucket(bucketMeta).Get(keySkills)
	if data == nil {
		return list, nil
	}
	var added []catalogue.Skill
	if err := json.Unmarshal(data, &added); err != nil {
		return nil, fmt.Errorf("decode %s: %w", keySkills, err)
	}
	return append(list, added...), nil
}

// resolveSkills labels the skills of local places from the instance's
// list, read in tx, and refuses an id the list lacks
// (catalogue.Place.ResolveSkills).
func resolveSkills(tx *bolt.Tx, ps ...*catalogue.Place) error {
	var list []catalogue.Skill
	for _, p := range ps {
		if len(p.Competences) == 0 {
			continue
		}
		if list == nil {
			var err error
			if list, err = skillsIn(tx); err != nil {
				return err
			}
		}
		if err := p.ResolveSkills(list); err != nil {
			return err
		}
	}
	return nil
}
