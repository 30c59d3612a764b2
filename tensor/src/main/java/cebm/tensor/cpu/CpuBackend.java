package cebm.tensor.cpu;

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
import java.util.stream.IntStream;

/**
 * The CPU backend: float arrays on the Java heap. Correct first, with fast paths where the
 * CEBM spends its time (convolutions, contiguous elementwise ops).
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    // ---- memory ----

    @Override
    public Tensor fromArray(float[] data, int... shape) {
        return new Tensor(new CpuStorage(data), shape, Shape.contiguousStrides(shape), 0);
    }

    @Override
    public Tensor full(float value, int... shape) {
        float[] data = Workspace.allocate(Shape.numel(shape));
        if (value != 0f) Arrays.fill(data, value);
        return fromArray(data, shape);
    }

    /** The raw array of a CPU tensor, contiguous from index 0 when {@code t} is contiguous with offset 0. */
    public static float[] data(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s)) {
            throw new IllegalArgumentException("tensor " + t + " is not on the CPU backend");
        }
        return s.data;
    }

    /** A dense, offset-0 array of the tensor's elements: the array itself when possible, else a copy. */
    static float[] dense(Tensor t) {
        float[] d = data(t);
        if (t.isContiguous() && t.offset() == 0 && d.length == t.numel()) return d;
        return copyOut(t, Workspace.allocateForOverwrite(t.numel()));
    }

    @Override
    public float[] toArray(Tensor t) {
        // NOTE: never from the workspace: the caller owns this array.
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
        return ((CpuStorage) storage).data[index];
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
    static void fillNormal(float[] out, int off, int n, long seed, long counter) {
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

    @Override
    public Tensor zip(BinaryOp op, Tensor a, Tensor b, int[] outShape) {
        int n = Shape.numel(outShape);
        float[] out = Workspace.allocateForOverwrite(n);
        float[] da = data(a), db = data(b);
        boolean sameShape = Arrays.equals(a.shape(), outShape) && Arrays.equals(b.shape(), outShape);
        if (sameShape && a.isContiguous() && b.isContiguous()) {
            int oa = a.offset(), ob = b.offset();
            for (int i = 0; i < n; i++) out[i] = op.apply(da[oa + i], db[ob + i]);
        } else if (b.numel() == 1 && a.isContiguous() && Arrays.equals(a.shape(), outShape)) {
            int oa = a.offset();
            float s = db[b.offset()];
            for (int i = 0; i < n; i++) out[i] = op.apply(da[oa + i], s);
        } else {
            int[] ia = StridedIndex.offsets(outShape, Shape.broadcastStrides(a.shape(), a.strides(), outShape), a.offset());
            int[] ib = StridedIndex.offsets(outShape, Shape.broadcastStrides(b.shape(), b.strides(), outShape), b.offset());
            for (int i = 0; i < n; i++) out[i] = op.apply(da[ia[i]], db[ib[i]]);
        }
        return fromArray(out, outShape);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int dim) {
        int[] shape = a.shape();
        float[] in = dense(a);
        int outer = 1, inner = 1, len = shape[dim];
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.length; i++) inner *= shape[i];
        float[] out = Workspace.allocateForOverwrite(outer * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * len * inner + j;
                if (op == ReduceOp.SUM) {
                    double s = 0; // NOTE: double accumulation keeps long sums (e.g. over a batch) accurate.
                    for (int r = 0; r < len; r++) s += in[base + r * inner];
                    out[o * inner + j] = (float) s;
                } else {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int r = 0; r < len; r++) m = Math.max(m, in[base + r * inner]);
                    out[o * inner + j] = m;
                }
            }
        }
        int[] outShape = shape.clone();
        outShape[dim] = 1;
        return fromArray(out, outShape);
    }

    @Override
    public Tensor argmax(Tensor a, int dim) {
        int[] shape = a.shape();
        float[] in = dense(a);
        int outer = 1, inner = 1, len = shape[dim];
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.length; i++) inner *= shape[i];
        float[] out = Workspace.allocateForOverwrite(outer * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * len * inner + j, best = 0;
                for (int r = 1; r < len; r++) if (in[base + r * inner] > in[base + best * inner]) best = r;
                out[o * inner + j] = best;
            }
        }
        int[] outShape = shape.clone();
        outShape[dim] = 1;
        return fromArray(out, outShape);
    }

    @Override
    public Tensor swishBackward(Tensor gradY, Tensor z) {
        int n = z.numel();
        float[] out = Workspace.allocateForOverwrite(n);
        Activations.swishBackward(dense(gradY), dense(z), out, n);
        return fromArray(out, z.shape());
    }

    // ---- linear algebra and convolution ----

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int[] sa = a.shape(), sb = b.shape();
        int batch = sa.length == 3 ? sa[0] : 1;
        int m = sa[sa.length - 2], k = sa[sa.length - 1], n = sb[sb.length - 1];
        // NOTE: a transposed view (the weight of a linear layer) is read in place, without a copy.
        boolean transB = isTransposedMatrix(b);
        float[] da = dense(a);
        float[] db = transB ? dense(b.transpose(-1, -2)) : dense(b);
        float[] out = Workspace.allocateForOverwrite(batch * m * n); // the GEMM overwrites C
        IntStream.range(0, batch).parallel().forEach(i ->
                Gemm.multiply(false, transB, m, n, k, da, i * m * k, db, i * k * n, out, i * m * n, false));
        int[] outShape = sa.length == 3 ? new int[] {batch, m, n} : new int[] {m, n};
        return fromArray(out, outShape);
    }

    private static boolean isTransposedMatrix(Tensor t) {
        return !t.isContiguous() && t.transpose(-1, -2).isContiguous();
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        float[] z = Workspace.allocateForOverwrite(Shape.numel(g.outputShape()));
        Conv2dCpu.forward(g, dense(x), dense(weight), bias == null ? null : dense(bias), z, null);
        return fromArray(z, g.outputShape());
    }

    @Override
    public Tensor[] conv2dBiasSwish(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        float[] z = Workspace.allocateForOverwrite(Shape.numel(g.outputShape()));
        float[] y = Workspace.allocateForOverwrite(z.length);
        Conv2dCpu.forward(g, dense(x), dense(weight), bias == null ? null : dense(bias), z, y);
        return new Tensor[] {fromArray(y, g.outputShape()), fromArray(z, g.outputShape())};
    }

    @Override
    public Tensor conv2dSwishInputGrad(Tensor gradY, Tensor z, Tensor weight, Conv2dGeometry g) {
        return inputGrad(gradY, dense(z), weight, g);
    }

    @Override
    public Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, Conv2dGeometry g) {
        return inputGrad(gradOut, null, weight, g);
    }

    /** {@link Conv2dCpu#inputGrad}: with z, of the fused layer, Swish's backward pass on the fly. */
    private Tensor inputGrad(Tensor gradOut, float[] z, Tensor weight, Conv2dGeometry g) {
        float[] dx = Workspace.allocateForOverwrite(Shape.numel(g.inputShape()));
        Conv2dCpu.inputGrad(g, dense(gradOut), z, dense(weight), dx);
        return fromArray(dx, g.inputShape());
    }

    @Override
    public Tensor conv2dWeightGrad(Tensor gradOut, Tensor x, Conv2dGeometry g) {
        float[] dw = Workspace.allocateForOverwrite(Shape.numel(g.weightShape()));
        Conv2dCpu.weightGrad(g, dense(gradOut), dense(x), dw);
        return fromArray(dw, g.weightShape());
    }

    // ---- the conjugate model's hot spots ----

    @Override
    public Tensor logNormalizer(Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        return LogNormalizerCpu.forward(t1, t2, lambda1, lambda2);
    }

    @Override
    public Tensor[] logNormalizerGrad(Tensor g, Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        return LogNormalizerCpu.gradient(g, t1, t2, lambda1, lambda2);
    }

    @Override
    public void sgldUpdate(Tensor x, Tensor grad, float step, float noiseStd, long seed, long counter) {
        if (!x.isContiguous()) throw new IllegalArgumentException("sgldUpdate: chains " + x + " must be contiguous");
        float[] dx = data(x), dg = dense(grad);
        int n = x.numel(), off = x.offset();
        float[] noise = Workspace.allocateForOverwrite(n);
        fillNormal(noise, 0, n, seed, counter);
        for (int i = 0; i < n; i++) dx[off + i] = dx[off + i] - step * dg[i] + noiseStd * noise[i];
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
                           float lr, float beta1, float beta2, float eps, int step) {
        float[] p = data(param), g = dense(grad), dm = data(m), dv = data(v);
        // Bias corrections of Kingma & Ba (2015): the moments start at zero and are rescaled.
        double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
        int po = param.offset(), mo = m.offset(), vo = v.offset();
        for (int i = 0; i < param.numel(); i++) {
            dm[mo + i] = beta1 * dm[mo + i] + (1 - beta1) * g[i];
            dv[vo + i] = beta2 * dv[vo + i] + (1 - beta2) * g[i] * g[i];
            double mHat = dm[mo + i] / c1, vHat = dv[vo + i] / c2;
            p[po + i] -= (float) (lr * mHat / (Math.sqrt(vHat) + eps));
        }
    }

    @Override
    public Tensor gatherRows(Tensor a, int[] rows) {
        float[] in = dense(a);
        int rowSize = a.numel() / a.size(0);
        float[] out = Workspace.allocateForOverwrite(rows.length * rowSize);
        for (int i = 0; i < rows.length; i++) {
            checkRow("gatherRows", rows[i], a.size(0));
            System.arraycopy(in, rows[i] * rowSize, out, i * rowSize, rowSize);
        }
        int[] shape = a.shape();
        shape[0] = rows.length;
        return fromArray(out, shape);
    }

    @Override
    public void scatterRows(Tensor dst, int[] rows, Tensor src) {
        if (!dst.isContiguous()) throw new IllegalArgumentException("scatterRows: destination " + dst + " must be contiguous");
        float[] out = data(dst), in = dense(src);
        int rowSize = dst.numel() / dst.size(0);
        for (int i = 0; i < rows.length; i++) {
            checkRow("scatterRows", rows[i], dst.size(0));
            System.arraycopy(in, i * rowSize, out, dst.offset() + rows[i] * rowSize, rowSize);
        }
    }

    private static void checkRow(String op, int row, int rows) {
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException(op + ": row " + row + " outside [0, " + rows + ")");
    }
}
