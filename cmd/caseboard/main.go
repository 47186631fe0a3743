// Command caseboard runs and assures a prosecution division's casework:
// one binary for the web server, migrations, demo data and administration.
// Run caseboard help for the commands.
package main

import (
	"context"
	"os"

	"caseboard/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], cli.OSEnv()))
}
