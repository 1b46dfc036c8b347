import type { Command, Help, Option } from 'commander';

// The program as --help describes it: the single source the man page and the shell
// completions are generated from, so none of the three can drift from the others.

export interface OptionDoc {
  readonly term: string; // "-p, --path <dir>", as --help prints it
  readonly long?: string; // "--path"
  readonly short?: string; // "-p"
  readonly description: string; // with "(default: …)", as --help prints it
  readonly value?: string; // "dir" when the option takes a value
  readonly optionalValue: boolean; // "[seconds]"
  readonly choices?: readonly string[];
}

export interface CommandDoc {
  readonly name: string;
  readonly usage: string; // "holdfast snap [options]"
  readonly description: string;
  readonly args: readonly string[]; // argument names, e.g. ["shell"]
  readonly argChoices: readonly string[]; // the first argument's allowed values, if fixed
  readonly options: readonly OptionDoc[];
  readonly example?: string; // the "Example:" block's lines, without the heading
}

export interface ProgramDoc {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly globalOptions: readonly OptionDoc[];
  readonly commands: readonly CommandDoc[];
}

export function describeProgram(program: Command): ProgramDoc {
  const help = program.createHelp();
  return {
    name: program.name(),
    version: program.version() ?? '',
    description: program.description(),
    globalOptions: help.visibleOptions(program).map((o) => optionDoc(help, o)),
    commands: help.visibleCommands(program).map((c) => commandDoc(c)),
  };
}

function commandDoc(cmd: Command): CommandDoc {
  const help = cmd.createHelp();
  const ex = afterHelpText(cmd);
  const m = /Example:\n([\s\S]*)$/.exec(ex);
  const args = cmd.registeredArguments;
  return {
    name: cmd.name(),
    usage: help.commandUsage(cmd),
    description: cmd.description(),
    args: args.map((a) => a.name()),
    argChoices: args[0]?.argChoices ?? [],
    options: help.visibleOptions(cmd).map((o) => optionDoc(help, o)),
    ...(m
      ? {
          example: m[1]!
            .replace(/\n+$/, '')
            .split('\n')
            .map((l) => l.replace(/^ {2}/, ''))
            .join('\n'),
        }
      : {}),
  };
}

function optionDoc(help: Help, o: Option): OptionDoc {
  const value = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1];
  return {
    term: help.optionTerm(o),
    ...(o.long ? { long: o.long } : {}),
    ...(o.short ? { short: o.short } : {}),
    description: help.optionDescription(o),
    ...(value ? { value } : {}),
    optionalValue: o.optional,
    ...(o.argChoices ? { choices: o.argChoices } : {}),
  };
}

// What addHelpText('after', …) adds below a command's --help (its "Example:" block), captured
// by raising the same event --help raises, writing into a string instead of stdout.
function afterHelpText(cmd: Command): string {
  let text = '';
  (cmd as unknown as NodeJS.EventEmitter).emit('afterHelp', { error: false, command: cmd, write: (s: string) => (text += s) });
  return text;
}
