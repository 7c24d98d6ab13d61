import ForgeCore

/// Paints the discs one plane's balls cut from it, in decreasing radius, keeping a bit per
/// voxel for "raised already": every later disc carries no larger a diameter, so a row whose
/// voxels are all marked is passed over without touching the plane. The balls overlap many
/// times over, so most rows are.
final class PlanePainter {
    private let size: GridSize
    private let reach: Int
    private let wordsPerRow: Int
    private let marked: UnsafeMutablePointer<UInt64>
    /// Per nearby plane, the next centre of its run still to paint.
    private let cursors: UnsafeMutablePointer<Int>
    /// A max-heap of nearby planes keyed by the squared radius of their next centre.
    private let heap: UnsafeMutablePointer<(m: Int32, slot: Int32)>

    /// For planes of `size`, with balls reaching at most `reach` planes away.
    init(size: GridSize, reach: Int) {
        self.size = size
        self.reach = reach
        wordsPerRow = (size.nx + 63) / 64
        marked = .allocate(capacity: wordsPerRow * size.ny)
        cursors = .allocate(capacity: 2 * reach + 1)
        heap = .allocate(capacity: 2 * reach + 1)
    }

    func release() {
        marked.deallocate()
        cursors.deallocate()
        heap.deallocate()
    }

    /// Raises every voxel of `plane` (plane `z`) to the diameter of the largest ball that
    /// holds it, among the centres of `centres` (plane z′ at `runs[z′]..<runs[z′ + 1]`, each
    /// run sorted by squared radius, largest first, none above `largest`).
    ///
    /// The runs are merged largest first through a heap of the nearby planes, so the work
    /// is the centres that reach the plane (times log of the planes), whatever the radii.
    func paint(_ plane: UnsafeMutablePointer<Float>, z: Int, centres: UnsafePointer<LocalThickness.RidgeCentre>,
               runs: [Int], largest: Int, halfWidths: UnsafeBufferPointer<Int32>) {
        marked.update(repeating: 0, count: wordsPerRow * size.ny)
        let low = max(0, z - reach), high = min(size.nz - 1, z + reach)
        let rows = Rows(plane: plane, marked: marked, nx: size.nx, ny: size.ny, wordsPerRow: wordsPerRow)
        // A run's centres reach the plane while their squared radius exceeds the squared
        // distance between the planes; each run is sorted, largest first.
        var count = 0
        for cz in low...high {
            let i = runs[cz]
            cursors[cz &- low] = i
            if i < runs[cz &+ 1], Int(centres[i].radiusSquared) > (z &- cz) &* (z &- cz) {
                heap[count] = (centres[i].radiusSquared, Int32(cz &- low))
                count &+= 1
            }
        }
        var k = count / 2
        while k > 0 { k &-= 1; siftDown(k, count: count) }
        while count > 0 {
            let slot = Int(heap[0].slot), cz = low &+ slot
            let offset2 = (z &- cz) &* (z &- cz)
            let (up, down) = (z &- cz, cz &- z)
            var i = cursors[slot]
            let c = centres[i]
            if up < Int(c.above) && down < Int(c.below) {
                Self.paintDisc(c, into: rows, discSquared: Int(c.radiusSquared) &- offset2, halfWidths: halfWidths)
            }
            i &+= 1
            cursors[slot] = i
            if i < runs[cz &+ 1], Int(centres[i].radiusSquared) > offset2 {
                heap[0] = (centres[i].radiusSquared, Int32(slot))
            } else {
                count &-= 1
                heap[0] = heap[count]
            }
            siftDown(0, count: count)
        }
    }

    @inline(__always)
    private func siftDown(_ start: Int, count: Int) {
        var parent = start
        while true {
            let left = 2 &* parent &+ 1
            guard left < count else { return }
            let right = left &+ 1
            let larger = right < count && heap[right].m > heap[left].m ? right : left
            guard heap[larger].m > heap[parent].m else { return }
            let swap = heap[parent]
            heap[parent] = heap[larger]
            heap[larger] = swap
            parent = larger
        }
    }

    /// The ball's section in the plane: an open disc of squared radius `discSquared` about
    /// (c.x, c.y), whose row y holds the voxels with dx² < discSquared − dy² (the
    /// half-width `halfWidths` gives).
    @inline(__always)
    private static func paintDisc(_ c: LocalThickness.RidgeCentre, into rows: Rows, discSquared: Int,
                                  halfWidths: UnsafeBufferPointer<Int32>) {
        let (cx, cy, nx) = (Int(c.x), Int(c.y), rows.nx)
        let value = c.diameter
        let reach = Int(halfWidths[discSquared])
        var y = c.rowsCut & 2 != 0 ? cy : max(0, cy &- reach)
        let lastRow = c.rowsCut & 1 != 0 ? cy : min(rows.ny &- 1, cy &+ reach)
        while y <= lastRow {
            let half = Int(halfWidths[discSquared &- (y &- cy) &* (y &- cy)])
            let (first, last) = (max(0, cx &- half), min(nx &- 1, cx &+ half))
            let bits = rows.marked + rows.wordsPerRow &* y
            if !allMarked(bits, from: first, through: last) {
                raise(rows.plane + nx &* y, from: first, through: last, to: value)
                mark(bits, from: first, through: last)
            }
            y &+= 1
        }
    }

    /// A plane's values and marks.
    private struct Rows {
        let plane: UnsafeMutablePointer<Float>
        let marked: UnsafeMutablePointer<UInt64>
        let nx: Int, ny: Int, wordsPerRow: Int
    }

    /// Bits first...last of a row's words, as a mask per word.
    @inline(__always)
    private static func mask(word: Int, from first: Int, through last: Int) -> UInt64 {
        let low = word == first >> 6 ? first & 63 : 0
        let high = word == last >> 6 ? last & 63 : 63
        return (~0 << UInt64(low)) & (~0 >> UInt64(63 - high))
    }

    @inline(__always)
    private static func allMarked(_ bits: UnsafeMutablePointer<UInt64>, from first: Int, through last: Int) -> Bool {
        var word = first >> 6
        let end = last >> 6
        while word <= end {
            let m = mask(word: word, from: first, through: last)
            if bits[word] & m != m { return false }
            word &+= 1
        }
        return true
    }

    @inline(__always)
    private static func mark(_ bits: UnsafeMutablePointer<UInt64>, from first: Int, through last: Int) {
        var word = first >> 6
        let end = last >> 6
        while word <= end {
            bits[word] |= mask(word: word, from: first, through: last)
            word &+= 1
        }
    }

    /// row[x] = max(row[x], value) for x in first...last. Rows of 4 to 16 (most rows of most
    /// balls) take two overlapping vector steps; longer rows go 8 wide, then one at a time.
    @inline(__always)
    private static func raise(_ row: UnsafeMutablePointer<Float>, from first: Int, through last: Int, to value: Float) {
        let length = last &- first &+ 1
        if length >= 8 && length <= 16 {
            // Two overlapping 8-wide steps, both loaded before either is stored, so the
            // overlap gets the same maximum twice and no load waits on a store.
            let a = UnsafeMutableRawPointer(row + first), b = UnsafeMutableRawPointer(row + (last &- 7))
            var u = a.loadUnaligned(as: SIMD8<Float>.self), v = b.loadUnaligned(as: SIMD8<Float>.self)
            u.replace(with: SIMD8(repeating: value), where: u .< value)
            v.replace(with: SIMD8(repeating: value), where: v .< value)
            a.storeBytes(of: u, as: SIMD8<Float>.self)
            b.storeBytes(of: v, as: SIMD8<Float>.self)
            return
        }
        if length >= 4 && length < 8 {
            let a = UnsafeMutableRawPointer(row + first), b = UnsafeMutableRawPointer(row + (last &- 3))
            var u = a.loadUnaligned(as: SIMD4<Float>.self), v = b.loadUnaligned(as: SIMD4<Float>.self)
            u.replace(with: SIMD4(repeating: value), where: u .< value)
            v.replace(with: SIMD4(repeating: value), where: v .< value)
            a.storeBytes(of: u, as: SIMD4<Float>.self)
            b.storeBytes(of: v, as: SIMD4<Float>.self)
            return
        }
        var x = first
        while x &+ 8 <= last &+ 1 {
            let at = UnsafeMutableRawPointer(row + x)
            var v = at.loadUnaligned(as: SIMD8<Float>.self)
            v.replace(with: SIMD8(repeating: value), where: v .< value)
            at.storeBytes(of: v, as: SIMD8<Float>.self)
            x &+= 8
        }
        while x <= last {
            row[x] = Swift.max(row[x], value)
            x &+= 1
        }
    }
}
