package cebm.tensor;

/** Reductions along one dimension. */
public enum ReduceOp {
    SUM,
    MAX
}
