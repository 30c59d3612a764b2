package cebm.tensor.cpu.gemm;

import cebm.tensor.Workspace;
import cebm.tensor.cpu.parallel.ScratchPool;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast GEMM, same contract as {@link Gemm#reference}: {@code C[M,N] (+)= A·B} with the
 * operands given as {@link GemmOperand}s and C dense row-major, written with the Vector API.
 *
 * <p>The loop nest follows Goto and van de Geijn (BLIS), with all of A packed up front:
 * <pre>
 * pack A into MR-tall panels, KC-deep slice by slice        (once, or once for many B: {@link #prepare})
 * for pc in K step KC                      a KC-deep slice of the product
 *   for ic in M step MC                    MC rows of A, MC·KC floats                   (stay in L2)
 *     for jr in N step NR                  a B panel, KC rows of NR floats              (stays in L1)
 *       for ir in MC step MR               micro-kernel: an MR×NR tile of C in registers
 * </pre>
 * A is packed so that the micro-kernel reads it with unit stride whatever its layout. A B
 * panel is read in place when its rows are contiguous in memory (a row-major B, the rows of the
 * convolution's patch matrix): the NR floats of each row are adjacent, and after the first tile
 * the panel sits in L1, so a copy would only add traffic. Strided B (transposed) and the ragged
 * last panel are packed, zero-padded, into a scratch panel the same kernel reads. Each element
 * of C is summed over K in the same order whatever its tile or the shape of the call, so results
 * do not depend on how a caller splits N.
 *
 * <p>Single-threaded: the caller parallelises (the convolution over groups of images). Calls
 * on different threads are safe, each call packs into its own scratch arrays.
 */
final class VectorGemm {
    private VectorGemm() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    /**
     * Rows of the micro-tile. MR·(NR/VL) = 16 accumulators, plus 2 B vectors and a broadcast
     * A element, use 19 of the 32 AVX-512 registers (with AVX2's 16, some spill). 8 also
     * divides the channel counts of the encoder (64, 32), so no rows are wasted there.
     */
    static final int MR = 8;
    /** Columns of the micro-tile: two vectors (32 floats with AVX-512). */
    static final int NR = 2 * VL;
    /** Depth of a slice: a KC·NR panel of B is 32 KiB with AVX-512, within the 48 KiB L1 with an A panel (8 KiB). */
    static final int KC = 256;
    /** Rows of A per block: MC·KC floats = 512 KiB, a quarter of the 2 MiB L2. */
    static final int MC = 512;

    /** Where row p of a packed B panel starts: p·NR. */
    private static final int[] PACKED_ROWS = new int[KC];

    static {
        for (int p = 0; p < KC; p++) PACKED_ROWS[p] = p * NR;
    }

    /** A call's scratch ({@link ScratchPool}): packed A (grown on demand), one B panel, one edge tile. */
    private static final class Scratch {
        float[] a = new float[0];
        final float[] b = new float[KC * NR];
        final float[] edge = new float[MR * NR];
    }

    private static final ScratchPool<Scratch> SCRATCH = new ScratchPool<>(Scratch::new);

    static String describe() {
        return "vector (" + SPECIES.vectorBitSize() + "-bit, " + MR + "x" + NR + " micro-kernel)";
    }

    /** A {@code [M,K]} packed into MR-tall panels: for each KC-deep slice, the panels of all M rows. */
    static final class PackedA implements Gemm.PreparedA {
        private final int m, k;
        private final float[] panels;

        private PackedA(int m, int k, GemmOperand a, float[] panels) {
            this.m = m;
            this.k = k;
            this.panels = panels;
            for (int pc = 0; pc < k; pc += KC) {
                GemmPacking.pack(a, pc, Math.min(KC, k - pc), 0, m, MR, panels, slice(pc));
            }
        }

        /** Where slice pc starts: every earlier slice holds KC columns of all M rows, rounded up to MR. */
        private int slice(int pc) {
            return pc * roundUp(m);
        }

        @Override
        public void multiply(int n, GemmOperand b, float[] c, int cOff, boolean accumulate) {
            Scratch scratch = SCRATCH.borrow();
            try {
                VectorGemm.multiply(this, n, b, c, cOff, accumulate, scratch);
            } finally {
                SCRATCH.giveBack(scratch);
            }
        }
    }

    /**
     * A packed once, for many products with it (the weights of a convolution, for every group of
     * images). NOTE: the panels come from the caller's {@link Workspace}, if one is open, so that
     * the SGLD loop, which packs the same weights again at every step, recycles them.
     */
    static PackedA prepare(int m, int k, GemmOperand a) {
        return new PackedA(m, k, a, Workspace.allocateForOverwrite(packedSize(m, k)));
    }

    /** {@code C[M,N] (+)= A·B}, C dense row-major from {@code c[cOff]}; see {@link Gemm}. */
    static void multiply(int m, int n, int k, GemmOperand a, GemmOperand b, float[] c, int cOff, boolean accumulate) {
        Scratch scratch = SCRATCH.borrow();
        try {
            if (scratch.a.length < packedSize(m, k)) scratch.a = new float[packedSize(m, k)];
            multiply(new PackedA(m, k, a, scratch.a), n, b, c, cOff, accumulate, scratch);
        } finally {
            SCRATCH.giveBack(scratch);
        }
    }

    private static void multiply(PackedA a, int n, GemmOperand b, float[] c, int cOff, boolean accumulate, Scratch scratch) {
        int m = a.m, k = a.k;
        if (k == 0) {
            if (!accumulate) Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc), slice = a.slice(pc);
            // The first slice overwrites C unless the caller accumulates; later slices add.
            boolean add = accumulate || pc > 0;
            for (int ic = 0; ic < m; ic += MC) {
                int mc = Math.min(MC, m - ic);
                for (int jr = 0; jr < n; jr += NR) {
                    int cols = Math.min(NR, n - jr);
                    // B is read in place when its rows are contiguous and the panel is whole; the
                    // MC/MR tiles that share the panel then find it in L1 after the first one.
                    boolean inPlace = b.stride() == 1 && cols == NR;
                    if (!inPlace) GemmPacking.pack(b, pc, kc, jr, cols, NR, scratch.b, 0);
                    float[] bData = inPlace ? b.data() : scratch.b;
                    int[] bStart = inPlace ? b.start() : PACKED_ROWS;
                    int bFirst = inPlace ? pc : 0, bCol = inPlace ? jr : 0;
                    for (int ir = 0; ir < mc; ir += MR) {
                        tile(kc, a.panels, slice + (ic + ir) * kc, bData, bStart, bFirst, bCol,
                                c, cOff + (ic + ir) * n + jr, n, Math.min(MR, mc - ir), cols, add, scratch.edge);
                    }
                }
            }
        }
    }

    private static int packedSize(int m, int k) {
        return roundUp(m) * k;
    }

    private static int roundUp(int m) {
        return (m + MR - 1) / MR * MR;
    }

    /**
     * {@code C[rows, cols] (+)= Ap·Bp} for one tile: Ap an MR-tall packed panel ({@code [kc][MR]}
     * from {@code ap[aOff]}); Bp the NR-wide panel whose row p is {@code b[bStart[bFirst + p] + bCol]}
     * onwards; C at {@code c[cOff]} with row stride {@code ldc}.
     * A tile cut by the edge of C is computed in full on a zero-padded copy, so that the kernel
     * itself only ever loads and stores whole vectors.
     */
    private static void tile(int kc, float[] ap, int aOff, float[] b, int[] bStart, int bFirst, int bCol,
                             float[] c, int cOff, int ldc, int rows, int cols, boolean add, float[] edge) {
        if (rows == MR && cols == NR) {
            microKernel(kc, ap, aOff, b, bStart, bFirst, bCol, c, cOff, ldc, add);
            return;
        }
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < NR; j++) edge[r * NR + j] = add && r < rows && j < cols ? c[cOff + r * ldc + j] : 0f;
        }
        microKernel(kc, ap, aOff, b, bStart, bFirst, bCol, edge, 0, NR, add);
        for (int r = 0; r < rows; r++) System.arraycopy(edge, r * NR, c, cOff + r * ldc, cols);
    }

    /**
     * The full MR×NR tile: 16 accumulators (MR rows × 2 vectors) start from C or from zero; per
     * step of the depth loop, two B vectors, then for each row one broadcast A element and two FMAs.
     */
    private static void microKernel(int kc, float[] ap, int aOff, float[] b, int[] bStart, int bFirst, int bCol,
                                    float[] c, int cOff, int ldc, boolean add) {
        int o0 = cOff, o1 = o0 + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc, o6 = o5 + ldc, o7 = o6 + ldc;
        FloatVector c00 = start(c, o0, add), c01 = start(c, o0 + VL, add);
        FloatVector c10 = start(c, o1, add), c11 = start(c, o1 + VL, add);
        FloatVector c20 = start(c, o2, add), c21 = start(c, o2 + VL, add);
        FloatVector c30 = start(c, o3, add), c31 = start(c, o3 + VL, add);
        FloatVector c40 = start(c, o4, add), c41 = start(c, o4 + VL, add);
        FloatVector c50 = start(c, o5, add), c51 = start(c, o5 + VL, add);
        FloatVector c60 = start(c, o6, add), c61 = start(c, o6 + VL, add);
        FloatVector c70 = start(c, o7, add), c71 = start(c, o7 + VL, add);
        for (int p = 0; p < kc; p++) {
            int bi = bStart[bFirst + p] + bCol, ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + VL);
            FloatVector a = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            a = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            a = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            a = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            a = FloatVector.broadcast(SPECIES, ap[ai + 4]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            a = FloatVector.broadcast(SPECIES, ap[ai + 5]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            a = FloatVector.broadcast(SPECIES, ap[ai + 6]);
            c60 = b0.fma(a, c60);
            c61 = b1.fma(a, c61);
            a = FloatVector.broadcast(SPECIES, ap[ai + 7]);
            c70 = b0.fma(a, c70);
            c71 = b1.fma(a, c71);
        }
        c00.intoArray(c, o0);
        c01.intoArray(c, o0 + VL);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + VL);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + VL);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + VL);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + VL);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + VL);
        c60.intoArray(c, o6);
        c61.intoArray(c, o6 + VL);
        c70.intoArray(c, o7);
        c71.intoArray(c, o7 + VL);
    }

    /** An accumulator's starting value: the current C when adding to it, else zero. */
    private static FloatVector start(float[] c, int off, boolean add) {
        return add ? FloatVector.fromArray(SPECIES, c, off) : FloatVector.zero(SPECIES);
    }
}
