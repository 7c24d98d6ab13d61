import ForgeCore

/// The thickness of thin walls, struts and pores read from the level set (the continuous
/// field the mesh comes from), finer than the voxels can show it.
///
/// Voxel local thickness is twice the distance between voxel centres, so a wall one voxel
/// thick reads two voxels, and a wall thinner than a voxel reads a voxel or vanishes. Here,
/// through each voxel the field f (solid where f > 0) is followed along the axis closest to
/// its normal n = ∇f/|∇f| (from the larger one-sided difference per axis) to the first sign
/// change on either side,
/// each crossing placed by linear interpolation between the samples around it; a crossing
/// on a box face lies on the face (the solid ends there; pores running off a face are not
/// bounded and are not measured). The chord between the crossings times |n_axis| is the
/// thickness across the feature — exact for a plane wall with a linear field. Features
/// thicker than `reach` voxels are left to the voxel measure.
public struct SubvoxelThickness: Sendable {
    public let size: GridSize
    /// Per voxel, the thickness of its phase's feature through it in 1/`scale` voxel; 0 where
    /// the feature is thicker than `reach` voxels (or unbounded).
    public let quantized: [UInt8]

    public static let scale: Float = 40
    public static let reach = 6

    public init(field: ScalarGrid) {
        size = field.size
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        var out = [UInt8](repeating: 0, count: size.count)
        let planeSize = nx * ny
        field.values.withUnsafeBufferPointer { values in
            out.withUnsafeMutableBufferPointer { result in
                let f = SendableReadOnlyPointer(values.baseAddress!)
                let q = SendablePointer(result.baseAddress!)
                parallelForRanges(nz) { zs in
                    for z in zs {
                        for y in 0..<ny {
                            for x in 0..<nx {
                                let i = x &+ nx &* y &+ planeSize &* z
                                q.base[i] = Self.measure(f.base, x: x, y: y, z: z, size: (nx, ny, nz), index: i)
                            }
                        }
                    }
                }
            }
        }
        quantized = out
    }

    init(size: GridSize, quantized: [UInt8]) {
        self.size = size
        self.quantized = quantized
    }

    @inline(__always)
    private static func measure(_ f: UnsafePointer<Float>, x: Int, y: Int, z: Int, size: (Int, Int, Int), index i: Int) -> UInt8 {
        let (nx, ny, nz) = size
        let v = f[i]
        let solid = v > 0
        let strides = SIMD3(1, nx, nx &* ny)
        let coordinates = SIMD3(x, y, z), counts = SIMD3(nx, ny, nz)
        // The slope along each axis: the larger one-sided difference, which a kink of the
        // field at the wall's middle (sheet designs: f = t − |g|) does not cancel as a
        // central difference would.
        var gradient = SIMD3<Float>(0, 0, 0)
        for a in 0..<3 where counts[a] > 1 {
            let c = coordinates[a], s = strides[a]
            let low = c > 0 ? abs(v - f[i &- s]) : 0, high = c < counts[a] &- 1 ? abs(f[i &+ s] - v) : 0
            gradient[a] = max(low, high)
        }
        let length = (gradient * gradient).sum().squareRoot()
        guard length > 0 else { return 0 }
        var a = 0
        for k in 1..<3 where abs(gradient[k]) > abs(gradient[a]) { a = k }
        let cosine = abs(gradient[a]) / length
        let c = coordinates[a], s = strides[a], n = counts[a]
        // The crossing on each side, in voxels from this voxel's centre, and the samples of
        // the phase passed on the way.
        func crossing(_ direction: Int) -> (at: Float, inside: Int, outer: Float?)? {
            var previous = v
            for step in 1...reach {
                let at = c &+ direction &* step
                guard at >= 0 && at < n else {
                    // The box face bounds the solid only.
                    return solid ? (Float(step) - 0.5, step - 1, nil) : nil
                }
                let next = f[i &+ direction &* step &* s]
                if (next > 0) != solid {
                    let inner = Float(step - 1) + previous / (previous - next)
                    // The line through the first two samples past the crossing, followed
                    // back to zero: right where the field peaks between the inner samples.
                    var outer: Float?
                    let beyond = at &+ direction
                    if beyond >= 0 && beyond < n {
                        let further = f[i &+ direction &* (step &+ 1) &* s]
                        if (further > 0) != solid && abs(further) > abs(next) {
                            outer = min(Float(step), max(Float(step - 1), Float(step) - next / (further - next)))
                        }
                    }
                    return (inner, step - 1, outer)
                }
                previous = next
            }
            return nil
        }
        guard let up = crossing(1), let down = crossing(-1) else { return 0 }
        // A run of one sample may hide the field's peak between it and a neighbour, where
        // interpolating across the peak cuts the wall short: read such walls from outside.
        let single = up.inside + down.inside == 0
        let chord = single ? (up.outer ?? up.at) + (down.outer ?? down.at) : up.at + down.at
        let thickness = chord * cosine
        guard thickness < Float(reach) else { return 0 }
        return UInt8(max(1, min(255, (thickness * scale).rounded())))
    }

    /// The map on a grid of half the size (as `VoxelMask.halved`): each coarse voxel takes
    /// the thinnest reading of its eight, in coarse voxels.
    public func halved() -> SubvoxelThickness {
        let s = size
        let h = GridSize(nx: max(1, s.nx / 2), ny: max(1, s.ny / 2), nz: s.nz == 1 ? 1 : max(1, s.nz / 2))
        var out = [UInt8](repeating: 0, count: h.count)
        for z in 0..<h.nz {
            for y in 0..<h.ny {
                for x in 0..<h.nx {
                    var thinnest: UInt8 = 0
                    for dz in 0..<(s.nz == 1 ? 1 : 2) {
                        for dy in 0..<2 {
                            for dx in 0..<2 {
                                let (fx, fy, fz) = (2 * x + dx, 2 * y + dy, s.nz == 1 ? 0 : 2 * z + dz)
                                guard fx < s.nx, fy < s.ny, fz < s.nz else { continue }
                                let value = quantized[fx + s.nx * (fy + s.ny * fz)]
                                if value > 0 && (thinnest == 0 || value < thinnest) { thinnest = value }
                            }
                        }
                    }
                    out[x + h.nx * (y + h.ny * z)] = thinnest == 0 ? 0 : max(1, thinnest / 2)
                }
            }
        }
        return SubvoxelThickness(size: h, quantized: out)
    }

    /// `field` (voxel thickness, positive on a phase) with each voxel's reading here where
    /// it is thinner.
    public func applied(to field: [Float]) -> [Float] {
        precondition(field.count == quantized.count)
        var out = field
        for i in out.indices where out[i] > 0 && quantized[i] > 0 {
            out[i] = min(out[i], Float(quantized[i]) / Self.scale)
        }
        return out
    }
}
