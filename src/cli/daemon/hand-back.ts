/**
 * A daemon runs a command with no terminal of its own (daemon/server.ts). Where the command would ask the person
 * at the client's terminal, it throws `HandBack` instead: the daemon answers "run it yourself", and the client
 * runs the command in its own process, where it can ask. Nothing was shown or written before a question is asked.
 */
export class HandBack extends Error {
  constructor(what: string) {
    super(`a question on the terminal (${what}) cannot be asked from the background process`);
    this.name = 'HandBack';
  }
}

let serving = false;

/** Whether this process runs a command for a daemon's client (set by the daemon around each run). */
export const servingClient = (): boolean => serving;

export const setServingClient = (on: boolean): void => {
  serving = on;
};
