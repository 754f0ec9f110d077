// Holds a write lock on a SQLite file for a while, from another process:
//   node test/support/lock-holder.ts <file> <ms>
import Database from "better-sqlite3";

const [file, ms] = process.argv.slice(2);
const db = new Database(file!);
db.exec("BEGIN IMMEDIATE");
process.stdout.write("locked\n");
setTimeout(() => {
  db.exec("COMMIT");
  db.close();
}, Number(ms));
