// Command pgcheck exits non-zero unless the PostgreSQL server named by its
// argument accepts a connection and a query. CI uses it so that a missing
// database fails the run instead of silently skipping PostgreSQL tests.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

func main() {
	if len(os.Args) != 2 || os.Args[1] == "" {
		fmt.Fprintln(os.Stderr, "usage: pgcheck POSTGRES_DSN")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", os.Args[1])
	if err == nil {
		defer db.Close()
		var v string
		if err = db.QueryRowContext(ctx, "SELECT version()").Scan(&v); err == nil {
			fmt.Println("postgres ok:", v)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "PostgreSQL is unreachable:", err)
	os.Exit(1)
}
