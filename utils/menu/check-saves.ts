import type { Timers } from '../collect/scan-schedule';
import { SaveFailures } from '../run/run-writer';
import type { KeyValueArea } from '../run/stored-run';
import type { MenuCheck } from './menu-check';

export const checkKey = (id: string) => `menu-check:${id}`;

/** A check being written, held until a write of it is through. */
interface CheckSave {
  /** The check as it is now: each try writes it whole. */
  check: MenuCheck;
  /** Writes started: only the last one's outcome counts, as it carries the newest state. */
  writes: number;
  failures: SaveFailures;
  retry: unknown;
}

/**
 * Writes menu checks to the area. A write that fails (the area full or briefly gone) is tried again on a page check's
 * schedule (saveRetryMs); until one is through the check is held here, as the area may still hold it as it was.
 */
export class CheckSaves {
  private readonly saves = new Map<string, CheckSave>();

  constructor(private readonly deps: { area: KeyValueArea; timers: Timers; log: Pick<Console, 'warn'> }) {}

  /** The check, if its latest state is not known to be in the area yet. */
  unsaved(id: string): MenuCheck | undefined {
    return this.saves.get(id)?.check;
  }

  async save(check: MenuCheck): Promise<void> {
    const save = this.saves.get(check.id) ?? { check, writes: 0, failures: new SaveFailures(), retry: undefined };
    this.saves.set(check.id, save);
    save.check = check;
    this.cancelRetry(save);
    const write = ++save.writes;
    // A write overtaken by a later one, or of a check dropped meanwhile, leaves nothing to do.
    const current = () => this.saves.get(check.id) === save && save.writes === write;
    try {
      // As one JSON string: storage.session counts an object's every key and value, about three times its JSON size.
      await this.deps.area.set({ [checkKey(check.id)]: JSON.stringify(check) });
      if (current()) this.saves.delete(check.id);
    } catch (error) {
      if (!current()) return;
      if (save.failures.add(this.deps.timers.now())) {
        this.deps.log.warn('Linkpulse: could not keep a menu check in session storage; trying again', error);
      }
      save.retry = this.deps.timers.setTimeout(() => void this.save(save.check), save.failures.retryMs);
    }
  }

  /** A check no longer kept is not written again: a retry would bring it back. */
  drop(id: string): void {
    const save = this.saves.get(id);
    if (save) this.cancelRetry(save);
    this.saves.delete(id);
  }

  private cancelRetry(save: CheckSave): void {
    if (save.retry !== undefined) this.deps.timers.clearTimeout(save.retry);
    save.retry = undefined;
  }
}
