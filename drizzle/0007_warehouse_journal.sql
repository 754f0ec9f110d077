-- IF NOT EXISTS: state files written before this migration may hold these tables already
-- (the engine used to create them itself, with these same columns).
CREATE TABLE IF NOT EXISTS `warehouse_pending` (
	`sync` text NOT NULL,
	`key` text NOT NULL,
	PRIMARY KEY(`sync`, `key`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `warehouse_syncs` (
	`sync` text PRIMARY KEY NOT NULL,
	`location` text NOT NULL,
	`schema` text NOT NULL,
	`updated_at` integer NOT NULL
);
