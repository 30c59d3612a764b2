package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.BinaryOp;
import cebm.tensor.Conv2dGeometry;
import cebm.tensor.Device;
import cebm.tensor.RandomStream;
import cebm.tensor.ReduceOp;
import cebm.tensor.Shape;
import cebm.tensor.Storage;
import cebm.tensor.Tensor;
import cebm.tensor.UnaryOp;
import cebm.tensor.Workspace;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.UnaryOperator;

/**
 * The CUDA backend: tensors in device memory, every op a kernel of ours launched on one stream.
 * Nothing here waits for the GPU except the copies back to the host ({@link #toArray},
 * {@link #read}), so a training step queues its kernels without host round trips.
 *
 * <p>Inputs may be views (permuted, sliced, broadcast); kernels that need dense operands get a
 * dense copy first ({@link #dense}), made by one strided-copy kernel.
 */
final class CudaBackend implements Backend {
    // region poison (quoted in docs/cuda-kernels.md)
    /**
     * Tests set {@code -Dcebm.cuda.poison=true}: every new buffer is then filled with NaN, so an
     * element a kernel forgot to write shows up as NaN in the comparison with the CPU.
     */
    private static final boolean POISON = Boolean.getBoolean("cebm.cuda.poison");
    /** {@code -Dcebm.cuda.graphs=false} runs the SGLD steps one by one instead of replaying a recorded step. */
    private static final boolean GRAPHS = !"false".equals(System.getProperty("cebm.cuda.graphs"));

    /**
     * The recorded SGLD step of each gradient function (one per sampler and model), and those that
     * could not be recorded. Weak keys: a recording goes when its sampler does.
     */
    private final Map<UnaryOperator<Tensor>, SgldGraph> sgldGraphs = new WeakHashMap<>();
    private final Set<UnaryOperator<Tensor>> unrecordable = Collections.newSetFromMap(new WeakHashMap<>());
    // endregion

    final CudaContext context;

    CudaBackend(CudaContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Device device() {
        return Device.CUDA;
    }

    // ---- memory ----

    // region empty (quoted in docs/cuda-kernels.md)
    /** A new contiguous tensor whose elements are not initialised: for ops that write every one. */
    Tensor empty(int... shape) {
        int n = Shape.numel(shape);
        DeviceBuffer buffer = Workspace.lend(DeviceBuffer.class, n, length -> DeviceBuffer.allocate(context, length));
        if (POISON) kernel("memory", "fill").launchLinear(n, (long) n, Float.NaN, buffer);
        return new Tensor(new CudaStorage(this, buffer), shape, Shape.contiguousStrides(shape), 0);
    }
    // endregion

    @Override
    public Tensor fromArray(float[] data, int... shape) {
        Tensor t = empty(shape);
        context.makeCurrent();
        // NOTE: a synchronous copy on the legacy default stream, which waits for our (blocking) stream.
        CudaException.check(JCudaDriver.cuMemcpyHtoD(buffer(t).pointer, Pointer.to(data), (long) data.length * Float.BYTES),
                "cuMemcpyHtoD");
        return t;
    }

    @Override
    public Tensor full(float value, int... shape) {
        Tensor t = empty(shape);
        kernel("memory", "fill").launchLinear(t.numel(), (long) t.numel(), value, buffer(t));
        return t;
    }

    @Override
    public float[] toArray(Tensor t) {
        Tensor d = dense(t);
        float[] out = new float[t.numel()];
        context.synchronize();
        CudaException.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), buffer(d).at(d.offset()), (long) out.length * Float.BYTES),
                "cuMemcpyDtoH");
        return out;
    }

    @Override
    public float read(Storage storage, int index) {
        float[] out = new float[1];
        context.synchronize();
        CudaException.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), ((CudaStorage) storage).buffer.at(index), Float.BYTES),
                "cuMemcpyDtoH");
        return out[0];
    }

    @Override
    public Tensor copy(Tensor t) {
        Tensor out = empty(t.shape());
        copyInto(out, t);
        return out;
    }

    /** {@code src} may live on another backend (a checkpoint's host tensors): it is copied here first. */
    @Override
    public void copyInto(Tensor dst, Tensor src) {
        if (!dst.isContiguous() || !java.util.Arrays.equals(dst.shape(), src.shape())) {
            throw new IllegalArgumentException("copyInto: destination " + dst + " must be contiguous and match source " + src);
        }
        src = src.to(this);
        Strided s = Strided.of(src);
        kernel("memory", "strided_copy").launchLinear(src.numel(), (long) src.numel(), s.rank(), s.shape(), s.strides(),
                (long) src.offset(), buffer(src), buffer(dst).at(dst.offset()));
    }

    // ---- random numbers, elementwise ops, reductions ----

    @Override
    public Tensor uniform(int[] shape, float low, float high, long seed, long counter) {
        Tensor out = empty(shape);
        long n = out.numel();
        // One thread per Philox block, which gives four numbers.
        kernel("random", "uniform").launchLinear((n + 3) / 4, n, low, high - low, seed, counter, buffer(out));
        return out;
    }

    @Override
    public Tensor normal(int[] shape, float mean, float std, long seed, long counter) {
        Tensor out = empty(shape);
        long n = out.numel();
        // One thread per Philox block, which gives a pair of numbers.
        kernel("random", "normal").launchLinear((n + 1) / 2, n, mean, std, seed, counter, buffer(out));
        return out;
    }

    @Override
    public Tensor map(UnaryOp op, Tensor a) {
        Tensor in = dense(a);
        Tensor out = empty(a.shape());
        long n = out.numel();
        kernel("elementwise", "map_unary").launchLinear(n, n, op.ordinal(), address(in), buffer(out));
        return out;
    }

    @Override
    public Tensor zip(BinaryOp op, Tensor a, Tensor b, int[] outShape) {
        Tensor out = empty(outShape);
        long n = out.numel();
        boolean scalarFirst = !(a.storage() instanceof CudaStorage);
        if (scalarFirst || !(b.storage() instanceof CudaStorage)) {
            // Ops lets a one-element host tensor (γ in x·γ, the 1 in a + 1) meet a device tensor. Its
            // value travels as a kernel argument: copying it to the device would make the host wait.
            Tensor scalar = scalarFirst ? a : b, other = scalarFirst ? b : a;
            kernel("elementwise", "zip_scalar").launchLinear(n, n, op.ordinal(), scalarFirst ? 1 : 0, scalar.item(),
                    address(dense(other)), buffer(out));
        } else if (a.isContiguous() && b.isContiguous() && Arrays.equals(a.shape(), outShape) && Arrays.equals(b.shape(), outShape)) {
            kernel("elementwise", "zip_dense").launchLinear(n, n, op.ordinal(), address(a), address(b), buffer(out));
        } else {
            // Both operands are read as views of the output's shape, broadcast dimensions with stride 0;
            // the two views have the same shape, so the same size-1 dimensions drop out of both.
            Strided sa = Strided.of(a.expand(outShape)), sb = Strided.of(b.expand(outShape));
            kernel("elementwise", "zip_strided").launchLinear(n, n, op.ordinal(), sa.rank(), sa.shape(),
                    sa.strides(), (long) a.offset(), sb.strides(), (long) b.offset(), buffer(a), buffer(b), buffer(out));
        }
        return out;
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int dim) {
        AlongDim along = AlongDim.of(a.shape(), dim);
        Tensor in = dense(a);
        Tensor out = empty(along.keptShape());
        if (out.numel() == 0) return out;
        if (along.inner() == 1 && along.length() >= WARP) {
            // Reducing the last dimension: one block per row, a warp at least, up to 256 threads.
            int threads = Math.min(Kernel.THREADS, (along.length() + WARP - 1) / WARP * WARP);
            kernel("reduce", "reduce_rows").launch(along.outer(), 1, 1, threads, 1, 1, 0,
                    along.length(), op.ordinal(), address(in), buffer(out));
        } else {
            long n = out.numel();
            kernel("reduce", "reduce_columns").launchLinear(n, n, along.length(), along.inner(), op.ordinal(),
                    address(in), buffer(out));
        }
        return out;
    }

    @Override
    public Tensor argmax(Tensor a, int dim) {
        AlongDim along = AlongDim.of(a.shape(), dim);
        Tensor in = dense(a);
        Tensor out = empty(along.keptShape());
        long n = out.numel();
        kernel("reduce", "argmax").launchLinear(n, n, along.length(), along.inner(), address(in), buffer(out));
        return out;
    }

    @Override
    public Tensor swishBackward(Tensor gradY, Tensor z) {
        Tensor g = dense(gradY), zd = dense(z);
        Tensor out = empty(z.shape());
        long n = out.numel();
        kernel("elementwise", "swish_backward").launchLinear(n, n, address(g), address(zd), buffer(out));
        return out;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        boolean batched = a.rank() == 3;
        int batch = batched ? a.size(0) : 1, m = a.size(-2), k = a.size(-1), n = b.size(-1);
        Tensor out = empty(batched ? new int[] {batch, m, n} : new int[] {m, n});
        if (out.numel() == 0) return out;
        // Strides of (batch, row, column): views such as a transposed weight are read in place.
        int[] sa = a.strides(), sb = b.strides();
        int r = a.rank();
        kernel("gemm", "sgemm").launch(ceilDiv(m, GEMM_TILE), ceilDiv(n, GEMM_TILE), Math.min(batch, MAX_GRID_Z),
                GEMM_SIDE, GEMM_SIDE, 1, 0, batch, m, n, k,
                address(a), batched ? (long) sa[0] : 0L, sa[r - 2], sa[r - 1],
                address(b), batched ? (long) sb[0] : 0L, sb[r - 2], sb[r - 1], buffer(out));
        return out;
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        return Conv2dCuda.forward(this, x, weight, bias, g, false)[0];
    }

    @Override
    public Tensor[] conv2dBiasSwish(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        return Conv2dCuda.forward(this, x, weight, bias, g, true);
    }

    @Override
    public Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, Conv2dGeometry g) {
        return Conv2dCuda.inputGrad(this, gradOut, weight, g);
    }

    @Override
    public Tensor conv2dWeightGrad(Tensor gradOut, Tensor x, Conv2dGeometry g) {
        return Conv2dCuda.weightGrad(this, gradOut, x, g);
    }

    @Override
    public Tensor logNormalizer(Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        return LogNormalizerCuda.forward(this, t1, t2, lambda1, lambda2);
    }

    @Override
    public Tensor[] logNormalizerGrad(Tensor g, Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        return LogNormalizerCuda.gradient(this, g, t1, t2, lambda1, lambda2);
    }

    @Override
    public void sgldUpdate(Tensor x, Tensor grad, float step, float noiseStd, long seed, long counter) {
        if (!x.isContiguous()) throw new IllegalArgumentException("sgldUpdate: chains " + x + " must be contiguous");
        Tensor g = dense(grad);
        long n = x.numel();
        // One thread per pair of elements, whose noise comes from one Philox block.
        kernel("sgld", "sgld_update").launchLinear((n + 1) / 2, n, step, noiseStd, seed, counter, address(x), address(g));
    }

    /**
     * The SGLD loop as replays of one recorded step ({@link SgldGraph}); one by one where the step
     * cannot be recorded, where there is only one step, or with {@code -Dcebm.cuda.graphs=false}.
     * A loop that makes the recording runs its first step while recording and replays the rest.
     */
    // region sgld-graph (quoted in docs/cuda-kernels.md)
    @Override
    public void sgld(Tensor chains, int steps, UnaryOperator<Tensor> gradient, float step, float noiseStd,
                     long seed, long counter, Workspace workspace) {
        if (steps < 2 || !GRAPHS || isUnrecordable(gradient)) {
            sgldStepByStep(chains, steps, gradient, step, noiseStd, seed, counter, workspace);
            return;
        }
        SgldGraph graph = recording(gradient);
        if (graph != null && graph.fits(chains.shape(), step, noiseStd, seed)) {
            graph.run(chains, steps, counter);
            return;
        }
        graph = record(chains, gradient, step, noiseStd, seed, counter);
        long next = counter + RandomStream.normalBlocks(chains.numel());
        if (graph == null) {
            sgldStepByStep(chains, steps - 1, gradient, step, noiseStd, seed, next, workspace);
        } else {
            graph.run(chains, steps - 1, next);
        }
    }
    // endregion

    /** The interface's loop: each step's kernels launched from the host. */
    void sgldStepByStep(Tensor chains, int steps, UnaryOperator<Tensor> gradient, float step, float noiseStd,
                        long seed, long counter, Workspace workspace) {
        Backend.super.sgld(chains, steps, gradient, step, noiseStd, seed, counter, workspace);
    }

    /**
     * Takes the loop's first step on {@code chains} and records it; null, said once, where the step
     * cannot be recorded (the first step has been taken all the same).
     */
    private synchronized SgldGraph record(Tensor chains, UnaryOperator<Tensor> gradient, float step, float noiseStd,
                                          long seed, long counter) {
        try {
            SgldGraph graph = SgldGraph.recordFirstStep(this, chains, gradient, step, noiseStd, seed, counter);
            sgldGraphs.put(gradient, graph);
            return graph;
        } catch (CudaException e) {
            unrecordable.add(gradient);
            System.err.println("cuda: " + e.getMessage() + "; the SGLD steps run one by one");
            return null;
        }
    }

    private synchronized boolean isUnrecordable(UnaryOperator<Tensor> gradient) {
        return unrecordable.contains(gradient);
    }

    /** The recording that serves this gradient function's loops; null where there is none. */
    synchronized SgldGraph recording(UnaryOperator<Tensor> gradient) {
        return sgldGraphs.get(gradient);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, int step) {
        Tensor g = dense(grad);
        // Bias corrections of Kingma & Ba (2015), in double as on the CPU.
        double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
        long n = param.numel();
        kernel("adam", "adam_update").launchLinear(n, n, lr, beta1, beta2, eps, c1, c2,
                address(param), address(g), address(m), address(v));
    }

    @Override
    public Tensor gatherRows(Tensor a, int[] rows) {
        int[] shape = a.shape();
        shape[0] = rows.length;
        Tensor out = empty(shape);
        RowCopy.gather(this, dense(a), rows, out);
        return out;
    }

    @Override
    public void scatterRows(Tensor dst, int[] rows, Tensor src) {
        if (!dst.isContiguous()) throw new IllegalArgumentException("scatterRows: destination " + dst + " must be contiguous");
        RowCopy.scatter(this, dst, rows, dense(src));
    }

    /** {@code t} itself when it is contiguous, else a contiguous copy. */
    Tensor dense(Tensor t) {
        return t.isContiguous() ? t : copy(t);
    }

    /** The device buffer of a tensor of this backend; a clear error for a tensor of another. */
    static DeviceBuffer buffer(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s)) {
            throw new IllegalArgumentException("tensor " + t + " is not on the CUDA backend (move it with tensor.to(backend))");
        }
        return s.buffer;
    }

    /** The device address of a tensor's first element: what a kernel's pointer argument receives. */
    static CUdeviceptr address(Tensor t) {
        return buffer(t).at(t.offset());
    }

    Kernel kernel(String family, String name) {
        return context.kernels.get(family, name);
    }

    private static final int WARP = 32;
    /** TILE and SIDE in gemm.cu: a block computes a TILE × TILE tile of C with SIDE × SIDE threads. */
    static final int GEMM_TILE = 64, GEMM_SIDE = 16;
    /** The largest grid dimension z; the SGEMM's blocks loop over batches beyond it. */
    private static final int MAX_GRID_Z = 65535;

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** A dense tensor seen as [outer, length, inner] around dimension {@code dim}, the reductions' view. */
    private record AlongDim(int outer, int length, int inner, int[] keptShape) {
        static AlongDim of(int[] shape, int dim) {
            int outer = 1, inner = 1;
            for (int i = 0; i < dim; i++) outer *= shape[i];
            for (int i = dim + 1; i < shape.length; i++) inner *= shape[i];
            int[] kept = shape.clone();
            kept[dim] = 1;
            return new AlongDim(outer, shape[dim], inner, kept);
        }
    }
}
