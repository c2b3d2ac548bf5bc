import { type PreparedItem } from '../exec/command-task.js'
import { type ShardInfo } from '../model/shard.js'
import { type ReusedFrom } from '../model/task-record.js'
import { type SpawnBudget } from '../exec/task-environment.js'
import { type CommandTemplate } from '../template/template.js'

/** Everything decided before the first command starts. */
export interface RunPlan {
  template: CommandTemplate
  prepared: PreparedItem[]
  /** For each item, the indexes of the items it needs; undefined without `tasks`. */
  needs: number[][] | undefined
  /** For each item, its priority (0 unless given). */
  priorities: number[]
  /**
   * For each item, its key in the history, numbered over the whole input (`historyKeys`): in a
   * shard too, so that a repeated item has one key in every shard, attempt and merge.
   */
  keys: string[]
  /** Which share of the items this job runs, under `shard`. */
  shard?: ShardInfo
  /** Items not run because an earlier success stands for them (`skip-passed`), by position. */
  reused?: ReadonlyMap<number, ReusedFrom>
  /**
   * Under `batch-size` (not 1): the commands that run, one per batch of the items that are not
   * reused (`PreparedItem.batch` set), in batch order; undefined without batches.
   */
  batches?: PreparedItem[]
  /** For each batch, its scheduler priority (see batchPriorities); with `batches` only. */
  batchPriorities?: number[]
  /** The input that gave the items, for errors found while forming batches (`items` unless set). */
  itemsInput?: string
  /** What a command may take to start, as prepareRun checked each item's; undefined: not checked. */
  spawnBudget?: SpawnBudget
}
