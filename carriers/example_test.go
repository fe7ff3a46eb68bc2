package carriers_test

import (
	"errors"
	"fmt"

	"github.com/zdial/zdial/carriers"
)

func ExampleDatabase_Resolve() {
	db := carriers.Builtin()
	for _, h := range []carriers.Hint{{}, {MCCMNC: "27205"}, {Country: "AT"}} {
		c, _ := db.Resolve("three", h)
		fmt.Printf("three %+v → %s (%s)\n", h, c.Name, c.APN)
	}
	_, err := db.Resolve("tim", carriers.Hint{})
	var ae *carriers.AmbiguousError
	if errors.As(err, &ae) {
		fmt.Println(err)
	}
	// Output:
	// three {MCCMNC: Country:} → three-uk (three.co.uk)
	// three {MCCMNC:27205 Country:} → three-ie (3ireland.ie)
	// three {MCCMNC: Country:AT} → three-at (drei.at)
	// carriers: "tim" is ambiguous; name one of: tim-br (TIM Brasil, BR), tim-it (TIM, IT); or set a country
}

func ExampleDatabase_FromIMSI() {
	s, err := carriers.Builtin().FromIMSI("310260123456789")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Reason)
	// Output: IMSI 310260… → MCC 310 MNC 260 → T-Mobile US (fast.t-mobile.com)
}
