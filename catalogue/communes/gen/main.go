// Command gen builds catalogue/communes/communes.tsv.gz, the embedded list
// of French communes, from two Etalab packages published on npm:
//
//   - @etalab/decoupage-administratif (data/communes.json): the Code
//     officiel géographique of INSEE (codes, names, départements, postal
//     codes, population);
//   - @etalab/fr-bounding-boxes (dist/communes.json): the bounding box of
//     each commune, computed from IGN's ADMIN EXPRESS.
//
// The centre of a commune is the centre of its bounding box. A commune
// created after the boxes were computed gets the centre of the union of
// the boxes of the communes it was made from; a commune restored since
// gets the box of the commune it had been merged into; a municipal
// arrondissement (Paris, Lyon, Marseille) with no box of its own gets its
// city's; a commune with none of these (a few restored communes) gets the
// centre of the union of the boxes of the communes sharing its first
// postal code. A commune with none of these (the overseas collectivités
// outside ADMIN EXPRESS) has no centre.
//
// Usage (from the repository root, after `npm pack` of both packages):
//
//	go run ./catalogue/communes/gen -cog DIR/data/communes.json \
//		-bbox DIR/dist/communes.json -out catalogue/communes/communes.tsv.gz
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

type cogCommune struct {
	Code         string   `json:"code"`
	Nom          string   `json:"nom"`
	Type         string   `json:"type"`
	Departement  string   `json:"departement"`
	CodesPostaux []string `json:"codesPostaux"`
	Population   int      `json:"population"`
	Commune      string   `json:"commune"`  // an arrondissement's city
	ChefLieu     string   `json:"chefLieu"` // a delegated commune's current commune
	AnciensCodes []string `json:"anciensCodes"`
}

type box struct {
	ID   string    `json:"id"`
	BBox []float64 `json:"bbox"` // west, south, east, north
}

func main() {
	cogPath := flag.String("cog", "", "communes.json of @etalab/decoupage-administratif")
	bboxPath := flag.String("bbox", "", "dist/communes.json of @etalab/fr-bounding-boxes")
	out := flag.String("out", "catalogue/communes/communes.tsv.gz", "file to write")
	flag.Parse()
	if *cogPath == "" || *bboxPath == "" {
		log.Fatal("gen: -cog and -bbox are required")
	}
	var cog []cogCommune
	readJSON(*cogPath, &cog)
	var boxes []box
	readJSON(*bboxPath, &boxes)
	byCode := map[string][4]float64{}
	for _, b := range boxes {
		if len(b.BBox) == 4 {
			byCode[b.ID[strings.LastIndexByte(b.ID, ':')+1:]] = [4]float64{b.BBox[0], b.BBox[1], b.BBox[2], b.BBox[3]}
		}
	}
	// parts lists, for each current commune, the codes it was made from.
	parts := map[string][]string{}
	mergedInto := map[string]string{}
	for _, c := range cog {
		if c.ChefLieu != "" && c.ChefLieu != c.Code {
			parts[c.ChefLieu] = append(parts[c.ChefLieu], c.Code)
		}
		for _, old := range c.AnciensCodes {
			parts[c.Code] = append(parts[c.Code], old)
			mergedInto[old] = c.Code
		}
	}
	union := func(codes []string) ([4]float64, bool) {
		u, ok := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}, false
		for _, code := range codes {
			b, found := byCode[code]
			if !found {
				continue
			}
			u = [4]float64{math.Min(u[0], b[0]), math.Min(u[1], b[1]), math.Max(u[2], b[2]), math.Max(u[3], b[3])}
			ok = true
		}
		return u, ok
	}
	// byPostal lists the communes with a box of their own by postal code.
	byPostal := map[string][]string{}
	for _, c := range cog {
		if _, ok := byCode[c.Code]; ok && c.Type == "commune-actuelle" {
			for _, cp := range c.CodesPostaux {
				byPostal[cp] = append(byPostal[cp], c.Code)
			}
		}
	}
	var buf bytes.Buffer
	counts := map[string]int{}
	sort.Slice(cog, func(i, j int) bool { return cog[i].Code < cog[j].Code })
	for _, c := range cog {
		if c.Type != "commune-actuelle" && c.Type != "arrondissement-municipal" {
			continue
		}
		b, how := byCode[c.Code], "b"
		if _, ok := byCode[c.Code]; !ok {
			how = ""
			if u, ok := union(parts[c.Code]); ok {
				b, how = u, "u"
			} else if u, ok := union([]string{mergedInto[c.Code]}); ok {
				b, how = u, "m"
			} else if u, ok := union([]string{c.Commune}); ok {
				b, how = u, "p"
			} else if len(c.CodesPostaux) > 0 {
				if u, ok := union(byPostal[c.CodesPostaux[0]]); ok {
					b, how = u, "c"
				}
			}
		}
		counts[how]++
		lat, lon := "", ""
		if how != "" {
			lat = strconv.FormatFloat((b[1]+b[3])/2, 'f', 4, 64)
			lon = strconv.FormatFloat((b[0]+b[2])/2, 'f', 4, 64)
		}
		postals := append([]string(nil), c.CodesPostaux...)
		sort.Strings(postals)
		fmt.Fprintf(&buf, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", c.Code, c.Nom, c.Departement,
			strings.Join(postals, ","), lat, lon, c.Population, c.Commune, how)
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := zw.Write(buf.Bytes()); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("gen: %d communes; centre from own box %d, former communes %d, merged-into commune %d, city %d, same postal code %d, none %d",
		len(buf.String())-len(strings.ReplaceAll(buf.String(), "\n", "")), counts["b"], counts["u"], counts["m"], counts["p"], counts["c"], counts[""])
}

func readJSON(path string, v any) {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		log.Fatalf("gen: %s: %v", path, err)
	}
}
