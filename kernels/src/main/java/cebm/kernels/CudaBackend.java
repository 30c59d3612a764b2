package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.BinaryOp;
import cebm.tensor.Conv2dGeometry;
import cebm.tensor.Device;
import cebm.tensor.ReduceOp;
import cebm.tensor.Shape;
import cebm.tensor.Storage;
import cebm.tensor.Tensor;
import cebm.tensor.UnaryOp;
import cebm.tensor.Workspace;
import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA backend: tensors in device memory, every op a kernel of ours launched on one stream.
 * Nothing here waits for the GPU except the copies back to the host ({@link #toArray},
 * {@link #read}), so a training step queues its kernels without host round trips.
 *
 * <p>Inputs may be views (permuted, sliced, broadcast); kernels that need dense operands get a
 * dense copy first ({@link #dense}), made by one strided-copy kernel.
 */
final class CudaBackend implements Backend {
    /**
     * Tests set {@code -Dcebm.cuda.poison=true}: every new buffer is then filled with NaN, so an
     * element a kernel forgot to write shows up as NaN in the comparison with the CPU.
     */
    private static final boolean POISON = Boolean.getBoolean("cebm.cuda.poison");

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

    /** A new contiguous tensor whose elements are not initialised: for ops that write every one. */
    Tensor empty(int... shape) {
        int n = Shape.numel(shape);
        DeviceBuffer buffer = Workspace.lend(DeviceBuffer.class, n, length -> DeviceBuffer.allocate(context, length));
        if (POISON) kernel("memory", "fill").launchLinear(n, (long) n, Float.NaN, buffer);
        return new Tensor(new CudaStorage(this, buffer), shape, Shape.contiguousStrides(shape), 0);
    }

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

    // ---- TODO(helpers): the kernels below are being written; each replaces its stub ----

    private static UnsupportedOperationException notYet(String op) {
        return new UnsupportedOperationException("cuda: " + op + " is not implemented yet");
    }

    @Override
    public Tensor uniform(int[] shape, float low, float high, long seed, long counter) {
        throw notYet("uniform");
    }

    @Override
    public Tensor normal(int[] shape, float mean, float std, long seed, long counter) {
        throw notYet("normal");
    }

    @Override
    public Tensor map(UnaryOp op, Tensor a) {
        throw notYet("map");
    }

    @Override
    public Tensor zip(BinaryOp op, Tensor a, Tensor b, int[] outShape) {
        throw notYet("zip");
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int dim) {
        throw notYet("reduce");
    }

    @Override
    public Tensor argmax(Tensor a, int dim) {
        throw notYet("argmax");
    }

    @Override
    public Tensor swishBackward(Tensor gradY, Tensor z) {
        throw notYet("swishBackward");
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        throw notYet("matmul");
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        throw notYet("conv2d");
    }

    @Override
    public Tensor[] conv2dBiasSwish(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        throw notYet("conv2dBiasSwish");
    }

    @Override
    public Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, Conv2dGeometry g) {
        throw notYet("conv2dInputGrad");
    }

    @Override
    public Tensor conv2dWeightGrad(Tensor gradOut, Tensor x, Conv2dGeometry g) {
        throw notYet("conv2dWeightGrad");
    }

    @Override
    public Tensor logNormalizer(Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        throw notYet("logNormalizer");
    }

    @Override
    public Tensor[] logNormalizerGrad(Tensor g, Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        throw notYet("logNormalizerGrad");
    }

    @Override
    public void sgldUpdate(Tensor x, Tensor grad, float step, float noiseStd, long seed, long counter) {
        throw notYet("sgldUpdate");
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, int step) {
        throw notYet("adamUpdate");
    }

    @Override
    public Tensor gatherRows(Tensor a, int[] rows) {
        throw notYet("gatherRows");
    }

    @Override
    public void scatterRows(Tensor dst, int[] rows, Tensor src) {
        throw notYet("scatterRows");
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

    Kernel kernel(String family, String name) {
        return context.kernels.get(family, name);
    }
}
