package cebm.tensor;

/**
 * An n-dimensional float32 tensor: a view (shape, strides, offset) onto a {@link Storage}.
 *
 * <p>Tensors are immutable as views: reshaping, permuting and slicing return new views that
 * share the storage, without copying. Ops on tensors live in {@link Ops}, which dispatches to
 * the {@link Backend} that owns the storage; this class stays small on purpose.
 *
 * <pre>{@code
 * Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);  // [2, 3]
 * Tensor xt = x.transpose(0, 1);                                // [3, 2], a view
 * Tensor y = Ops.add(x, Tensors.scalar(1f));                    // broadcasting
 * }</pre>
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Shape.show(shape) + " and strides " + Shape.show(strides) + " differ in rank");
        }
        this.storage = storage;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
    }

    // ---- what it is ----

    public int[] shape() {
        return shape.clone();
    }

    public int size(int dim) {
        return shape[Shape.axis("size", dim, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return Shape.numel(shape);
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    public Storage storage() {
        return storage;
    }

    public Backend backend() {
        return storage.backend();
    }

    /** True when the elements lie in row-major order with no gaps, starting at the offset. */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    // ---- views (no copies) ----

    /** The same elements in a new shape; a view when contiguous, a copy otherwise. One dimension may be -1. */
    public Tensor reshape(int... newShape) {
        int[] resolved = resolveReshape(newShape);
        if (!isContiguous()) return contiguous().reshape(resolved);
        return new Tensor(storage, resolved, Shape.contiguousStrides(resolved), offset);
    }

    /** Keeps the first {@code startDim} dimensions and flattens the rest into one. */
    public Tensor flatten(int startDim) {
        int start = Shape.axis("flatten", startDim, shape.length);
        int[] out = new int[start + 1];
        System.arraycopy(shape, 0, out, 0, start);
        int rest = 1;
        for (int i = start; i < shape.length; i++) rest *= shape[i];
        out[start] = rest;
        return reshape(out);
    }

    /** Reorders the dimensions: {@code permute(0, 2, 3, 1)} turns NCHW into NHWC. A view. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: order " + Shape.show(order) + " does not match rank " + shape.length);
        }
        int[] newShape = new int[order.length];
        int[] newStrides = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int d = Shape.axis("permute", order[i], shape.length);
            if (seen[d]) throw new IllegalArgumentException("permute: dimension " + d + " repeated in " + Shape.show(order));
            seen[d] = true;
            newShape[i] = shape[d];
            newStrides[i] = strides[d];
        }
        return new Tensor(storage, newShape, newStrides, offset);
    }

    public Tensor transpose(int dim0, int dim1) {
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int a = Shape.axis("transpose", dim0, shape.length);
        int b = Shape.axis("transpose", dim1, shape.length);
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Rows {@code [start, end)} along dimension 0 (the batch dimension). A view. */
    public Tensor slice(int start, int end) {
        if (shape.length == 0 || start < 0 || end > shape[0] || start > end) {
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") out of range for shape " + Shape.show(shape));
        }
        int[] newShape = shape.clone();
        newShape[0] = end - start;
        return new Tensor(storage, newShape, strides, offset + start * strides[0]);
    }

    /**
     * A view of this tensor repeated along its size-1 dimensions (and new leading ones) to
     * {@code target}: broadcasting made explicit, with stride 0 and no copy.
     */
    public Tensor expand(int... target) {
        int[] check = Shape.broadcast("expand", shape, target);
        if (!java.util.Arrays.equals(check, target)) {
            throw new IllegalArgumentException("expand: cannot expand " + Shape.show(shape) + " to " + Shape.show(target));
        }
        return new Tensor(storage, target, Shape.broadcastStrides(shape, strides, target), offset);
    }

    /** This tensor if it is contiguous, otherwise a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : backend().copy(this);
    }

    // ---- reading values back ----

    /** A row-major copy of the elements, on the host. */
    public float[] toArray() {
        return backend().toArray(this);
    }

    /** This tensor on {@code target} (itself when already there), as a contiguous copy through the host. */
    public Tensor to(Backend target) {
        return target == backend() ? this : target.fromArray(toArray(), shape);
    }

    /** The only element of a one-element tensor. */
    public float item() {
        if (numel() != 1) throw new IllegalStateException("item: tensor of shape " + Shape.show(shape) + " has " + numel() + " elements");
        return toArray()[0];
    }

    /** One element, by its index in every dimension (slow: for tests and printing). */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: index " + Shape.show(index) + " for shape " + Shape.show(shape));
        }
        int flat = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("get: index " + Shape.show(index) + " outside shape " + Shape.show(shape));
            }
            flat += index[i] * strides[i];
        }
        return backend().read(storage, flat);
    }

    @Override
    public String toString() {
        return "Tensor" + Shape.show(shape) + "@" + backend().name();
    }

    private int[] resolveReshape(int[] newShape) {
        int[] out = newShape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shape.show(newShape));
                unknown = i;
            } else {
                known *= out[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || numel() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + Shape.show(shape) + " into " + Shape.show(newShape));
            }
            out[unknown] = (int) (numel() / known);
        }
        if (Shape.numel(out) != numel()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shape.show(shape) + " (" + numel()
                    + " elements) into " + Shape.show(newShape));
        }
        return out;
    }
}
