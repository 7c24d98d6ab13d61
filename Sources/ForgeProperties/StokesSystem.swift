import ForgeCore
import ForgeMorphology

/// Periodic Stokes flow through the pores of a voxel cell on a staggered (MAC) grid, as the
/// symmetric saddle-point system
///
///     [ L  G ] [u]   [f]
///     [ Gᵀ 0 ] [p] = [0]
///
/// with unit viscosity. Velocity component a lives on the faces between voxel i and i + eₐ
/// and is an unknown only where both voxels are pore; elsewhere it is zero (no-slip, no flow
/// through walls). L is −Δ on the velocity faces (`LinkOperator`, one per component): a
/// neighbour face along the flow that is a wall is zero at one spacing, and a neighbour face
/// across the flow that touches solid puts the no-slip wall on the edge between the two, half
/// a spacing away (ghost value −u). G is the pressure difference across each open face; its
/// transpose is minus the divergence. A pore voxel with no open face has no pressure unknown.
final class StokesSystem: @unchecked Sendable {
    let size: GridSize
    /// Per component: the velocity Laplacian over the open faces.
    let velocity: [LinkOperator]
    /// Per component: 1 on open faces.
    let openFaces: [[UInt8]]
    /// 1 on pore voxels with at least one open face.
    let pressureCells: [UInt8]

    /// `pores`: 1 = fluid.
    init(pores: VoxelMask) {
        let s = pores.size
        size = s
        let grid = PeriodicIndex(s)
        let fluid = pores.bits
        let open: [[UInt8]] = (0..<3).map { a in
            (0..<s.count).map { i in fluid[i] != 0 && fluid[grid.next(i, a)] != 0 ? 1 : 0 }
        }
        openFaces = open
        var cells = [UInt8](repeating: 0, count: s.count)
        for i in 0..<s.count where fluid[i] != 0 {
            for a in 0..<3 where open[a][i] != 0 || open[a][grid.previous(i, a)] != 0 { cells[i] = 1 }
        }
        pressureCells = cells
        velocity = (0..<3).map { a in
            LinkOperator(size: s) { links, extra in
                let faces = open[a]
                for i in 0..<s.count where faces[i] != 0 {
                    var wall: Float = 0
                    for b in 0..<3 {
                        let next = grid.next(i, b), previous = grid.previous(i, b)
                        links[b][i] = faces[next] != 0 ? 1 : 0
                        // Along the flow a closed face is a wall one spacing away; across it,
                        // the wall runs along the shared edge, half a spacing away.
                        let distanceWeight: Float = b == a ? 1 : 2
                        if faces[next] == 0 { wall += distanceWeight }
                        if faces[previous] == 0 { wall += distanceWeight }
                    }
                    extra[i] = wall
                }
            }
        }
    }

    /// out ← K v, for v and out of four parts (u_x, u_y, u_z, p).
    func apply(_ v: [FloatBuffer], into out: [FloatBuffer]) {
        for a in 0..<3 {
            velocity[a].sweep(v[a], ApplyKernel(x: v[a].sendable, out: out[a].sendable))
        }
        let nx = size.nx
        let u0 = v[0].sendable, u1 = v[1].sendable, u2 = v[2].sendable, p = v[3].sendable
        let o0 = out[0].sendable, o1 = out[1].sendable, o2 = out[2].sendable, op = out[3].sendable
        openFaces[0].withUnsafeBufferPointer { f0 in
            openFaces[1].withUnsafeBufferPointer { f1 in
                openFaces[2].withUnsafeBufferPointer { f2 in
                    pressureCells.withUnsafeBufferPointer { pc in
                        let open0 = SendableReadOnlyPointer(f0.baseAddress!), open1 = SendableReadOnlyPointer(f1.baseAddress!)
                        let open2 = SendableReadOnlyPointer(f2.baseAddress!), cells = SendableReadOnlyPointer(pc.baseAddress!)
                        velocity[0].forEachRow { base, ym, yp, zm, zp in
                            for x in 0..<nx {
                                let i = base + x
                                let xm = base + (x == 0 ? nx - 1 : x - 1), xp = base + (x == nx - 1 ? 0 : x + 1)
                                let pi = p[i]
                                if open0[i] != 0 { o0[i] += p[xp] - pi }
                                if open1[i] != 0 { o1[i] += p[yp + x] - pi }
                                if open2[i] != 0 { o2[i] += p[zp + x] - pi }
                                op[i] = cells[i] != 0
                                    ? (u0[xm] - u0[i]) + (u1[ym + x] - u1[i]) + (u2[zm + x] - u2[i]) : 0
                            }
                        }
                    }
                }
            }
        }
    }
}
