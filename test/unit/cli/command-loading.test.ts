import { Command } from "commander";
import { COMMANDS, commandsFor } from "../../../src/cli/commands";

describe("the afb command loads only the module of the command it runs", () => {
  it("picks the entry named by the first word", () => {
    expect(commandsFor(["backup", "--dir", "/data", "--json"]).map((c) => c.name)).toEqual(["backup"]);
    expect(commandsFor(["restore", "abc", "--to-dir", "/x"]).map((c) => c.name)).toEqual(["restore"]);
  });

  it("loads both modules that add subcommands under `index`", async () => {
    const entries = commandsFor(["index", "rebuild", "--dir", "/data"]);
    expect(entries).toHaveLength(2);
    const program = new Command("afb");
    for (const e of entries) (await e.load())(program);
    const index = program.commands.find((c) => c.name() === "index");
    expect(index?.commands.map((c) => c.name()).sort()).toEqual(["rebuild", "sync"]);
  });

  it("loads every command for help, no command, or an unknown word (so commander can list or suggest)", () => {
    expect(commandsFor(["--help"])).toBe(COMMANDS);
    expect(commandsFor([])).toBe(COMMANDS);
    expect(commandsFor(["bakup", "--dir", "/data"])).toBe(COMMANDS);
  });

  it("registers under each entry's name exactly the top-level command that entry claims", async () => {
    for (const entry of COMMANDS) {
      const program = new Command("afb");
      (await entry.load())(program);
      expect(program.commands.map((c) => c.name())).toEqual([entry.name]);
    }
  });
});
