/**
 * A binary heap of item indexes, the one ranked first on top: the tasks set aside on a lock, and
 * those put back among the ready ones when it is released, in their rank order.
 */
export class RankHeap {
  private readonly heap: number[] = []

  /** `before(a, b)`: whether item a ranks before item b (a strict order, never both ways). */
  constructor(private readonly before: (a: number, b: number) => boolean) {}

  /** The first-ranked item, left in place; undefined when empty. */
  peek(): number | undefined {
    return this.heap[0]
  }

  /** Adds an item in its rank. */
  push(index: number): void {
    const heap = this.heap
    let at = heap.push(index) - 1
    while (at > 0) {
      const parent = (at - 1) >> 1
      if (!this.before(index, heap[parent] as number)) break
      heap[at] = heap[parent] as number
      at = parent
    }
    heap[at] = index
  }

  /** Takes out the first-ranked item; undefined when empty. */
  pop(): number | undefined {
    const heap = this.heap
    const top = heap[0]
    const last = heap.pop()
    if (heap.length === 0 || last === undefined) return top
    let at = 0
    for (;;) {
      let child = 2 * at + 1
      if (child >= heap.length) break
      const right = child + 1
      if (right < heap.length && this.before(heap[right] as number, heap[child] as number)) {
        child = right
      }
      if (!this.before(heap[child] as number, last)) break
      heap[at] = heap[child] as number
      at = child
    }
    heap[at] = last
    return top
  }
}
