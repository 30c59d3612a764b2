package cebm.tensor.cpu.reference;

import cebm.tensor.Backend;
import cebm.tensor.BinaryOp;
import cebm.tensor.Conv2dGeometry;
import cebm.tensor.Device;
import cebm.tensor.Philox;
import cebm.tensor.ReduceOp;
import cebm.tensor.Shape;
import cebm.tensor.Storage;
import cebm.tensor.Tensor;
import cebm.tensor.UnaryOp;
import cebm.tensor.Workspace;

import java.util.Arrays;

/**
 * The reference backend: every primitive of {@link Backend} as the plainest loops over float
 * arrays on the Java heap (the convolution as seven nested loops, the matrix product as three),
 * and every fused op as {@link Backend}'s default composition of them. It is the yardstick the
 * other backends are tested against, and selectable by name ({@code --device reference}) to see
 * what the fast paths buy.
 *
 * <p>The fast CPU backend ({@code cebm.tensor.cpu.CpuBackend}) extends this class and overrides
 * only where the CEBM spends its time, so what it does not override is exactly this code.
 */
public class ReferenceBackend implements Backend {
    public static final ReferenceBackend INSTANCE = new ReferenceBackend();

    protected ReferenceBackend() {}

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    // ---- memory ----

    @Override
    public Tensor fromArray(float[] data, int... shape) {
        return new Tensor(new ArrayStorage(data, this), shape, Shape.contiguousStrides(shape), 0);
    }

    @Override
    public Tensor full(float value, int... shape) {
        float[] data = Workspace.allocate(Shape.numel(shape));
        if (value != 0f) Arrays.fill(data, value);
        return fromArray(data, shape);
    }

    /** The raw array of a tensor on the heap, contiguous from index 0 when {@code t} is contiguous with offset 0. */
    public static float[] data(Tensor t) {
        if (!(t.storage() instanceof ArrayStorage s)) {
            throw new IllegalArgumentException("tensor " + t + " is not on a CPU backend");
        }
        return s.array();
    }

    /** A dense, offset-0 array of the tensor's elements: the array itself when possible, else a copy. */
    public static float[] dense(Tensor t) {
        float[] d = data(t);
        if (t.isContiguous() && t.offset() == 0 && d.length == t.numel()) return d;
        return copyOut(t, Workspace.allocateForOverwrite(t.numel()));
    }

    @Override
    public float[] toArray(Tensor t) {
        // Never from the workspace: the caller owns this array.
        return copyOut(t, new float[t.numel()]);
    }

    /** Writes the elements of {@code t} in row-major order into {@code out}. */
    private static float[] copyOut(Tensor t, float[] out) {
        float[] d = data(t);
        int n = t.numel();
        if (t.isContiguous()) {
            System.arraycopy(d, t.offset(), out, 0, n);
            return out;
        }
        int[] offsets = StridedIndex.offsets(t.shape(), t.strides(), t.offset());
        for (int i = 0; i < n; i++) out[i] = d[offsets[i]];
        return out;
    }

    @Override
    public float read(Storage storage, int index) {
        return ((ArrayStorage) storage).array()[index];
    }

    @Override
    public Tensor copy(Tensor t) {
        return fromArray(copyOut(t, Workspace.allocateForOverwrite(t.numel())), t.shape());
    }

    @Override
    public void copyInto(Tensor dst, Tensor src) {
        if (!dst.isContiguous() || !Arrays.equals(dst.shape(), src.shape())) {
            throw new IllegalArgumentException("copyInto: destination " + dst + " must be contiguous and match source " + src);
        }
        float[] values = dense(src);
        System.arraycopy(values, 0, data(dst), dst.offset(), src.numel());
    }

    // ---- random numbers ----

    @Override
    public Tensor uniform(int[] shape, float low, float high, long seed, long counter) {
        int n = Shape.numel(shape);
        float[] out = Workspace.allocateForOverwrite(n);
        int[] words = new int[4];
        float range = high - low;
        for (int block = 0; block * 4 < n; block++) {
            Philox.block(seed, counter + block, words);
            for (int lane = 0; lane < 4 && block * 4 + lane < n; lane++) {
                out[block * 4 + lane] = low + range * Philox.toUnit(words[lane]);
            }
        }
        return fromArray(out, shape);
    }

    @Override
    public Tensor normal(int[] shape, float mean, float std, long seed, long counter) {
        int n = Shape.numel(shape);
        float[] out = Workspace.allocateForOverwrite(n);
        fillNormal(out, 0, n, seed, counter);
        for (int i = 0; i < n; i++) out[i] = mean + std * out[i];
        return fromArray(out, shape);
    }

    /** out[off + i] = standard normal number i of the stream (seed, counter). */
    public static void fillNormal(float[] out, int off, int n, long seed, long counter) {
        int[] words = new int[4];
        for (int pair = 0; pair * 2 < n; pair++) {
            Philox.block(seed, counter + pair, words);
            out[off + pair * 2] = Philox.boxMuller(words[0], words[1], 0);
            if (pair * 2 + 1 < n) out[off + pair * 2 + 1] = Philox.boxMuller(words[0], words[1], 1);
        }
    }

    // ---- elementwise and reductions ----

    @Override
    public Tensor map(UnaryOp op, Tensor a) {
        float[] in = dense(a);
        int n = a.numel();
        float[] out = Workspace.allocateForOverwrite(n);
        for (int i = 0; i < n; i++) out[i] = op.apply(in[i]);
        return fromArray(out, a.shape());
    }

    /** Every element through the broadcast strides of both operands (stride 0 along a broadcast dimension). */
    @Override
    public Tensor zip(BinaryOp op, Tensor a, Tensor b, int[] outShape) {
        int n = Shape.numel(outShape);
        float[] out = Workspace.allocateForOverwrite(n);
        float[] da = data(a), db = data(b);
        int[] ia = StridedIndex.offsets(outShape, Shape.broadcastStrides(a.shape(), a.strides(), outShape), a.offset());
        int[] ib = StridedIndex.offsets(outShape, Shape.broadcastStrides(b.shape(), b.strides(), outShape), b.offset());
        for (int i = 0; i < n; i++) out[i] = op.apply(da[ia[i]], db[ib[i]]);
        return fromArray(out, outShape);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int dim) {
        return alongDimension(a, dim, op == ReduceOp.SUM ? SUM : MAX);
    }

    @Override
    public Tensor argmax(Tensor a, int dim) {
        return alongDimension(a, dim, ARGMAX);
    }

    private static final LineFunction SUM = (in, base, len, stride) -> {
        double s = 0; // double accumulation keeps long sums (e.g. over a batch) accurate
        for (int r = 0; r < len; r++) s += in[base + r * stride];
        return (float) s;
    };

    private static final LineFunction MAX = (in, base, len, stride) -> {
        float m = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < len; r++) m = Math.max(m, in[base + r * stride]);
        return m;
    };

    private static final LineFunction ARGMAX = (in, base, len, stride) -> {
        int best = 0;
        for (int r = 1; r < len; r++) if (in[base + r * stride] > in[base + best * stride]) best = r;
        return best;
    };

    /** One number from the {@code len} elements {@code in[base + r·stride]} of a line along a dimension. */
    private interface LineFunction {
        float apply(float[] in, int base, int len, int stride);
    }

    /** {@code line} of every line of {@code a} along dimension {@code dim}, which is kept with size 1. */
    private Tensor alongDimension(Tensor a, int dim, LineFunction line) {
        int[] shape = a.shape();
        float[] in = dense(a);
        int outer = 1, inner = 1, len = shape[dim];
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.length; i++) inner *= shape[i];
        float[] out = Workspace.allocateForOverwrite(outer * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) out[o * inner + j] = line.apply(in, o * len * inner + j, len, inner);
        }
        int[] outShape = shape.clone();
        outShape[dim] = 1;
        return fromArray(out, outShape);
    }

    // ---- linear algebra and convolution ----

    /** {@code c[i,j] = Σ_p a[i,p]·b[p,j]}, three loops per matrix of the batch. */
    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int[] sa = a.shape(), sb = b.shape();
        int batch = sa.length == 3 ? sa[0] : 1;
        int m = sa[sa.length - 2], k = sa[sa.length - 1], n = sb[sb.length - 1];
        float[] da = dense(a), db = dense(b);
        float[] out = Workspace.allocateForOverwrite(batch * m * n);
        for (int s = 0; s < batch; s++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = 0;
                    for (int p = 0; p < k; p++) sum += da[(s * m + i) * k + p] * db[(s * k + p) * n + j];
                    out[(s * m + i) * n + j] = sum;
                }
            }
        }
        return fromArray(out, sa.length == 3 ? new int[] {batch, m, n} : new int[] {m, n});
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        float[] z = Workspace.allocateForOverwrite(Shape.numel(g.outputShape()));
        ReferenceConv2d.forward(g, dense(x), dense(weight), bias == null ? null : dense(bias), z);
        return fromArray(z, g.outputShape());
    }

    @Override
    public Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, Conv2dGeometry g) {
        float[] dx = Workspace.allocateForOverwrite(Shape.numel(g.inputShape()));
        ReferenceConv2d.inputGrad(g, dense(gradOut), dense(weight), dx);
        return fromArray(dx, g.inputShape());
    }

    @Override
    public Tensor conv2dWeightGrad(Tensor gradOut, Tensor x, Conv2dGeometry g) {
        float[] dw = Workspace.allocateForOverwrite(Shape.numel(g.weightShape()));
        ReferenceConv2d.weightGrad(g, dense(gradOut), dense(x), dw);
        return fromArray(dw, g.weightShape());
    }
}
