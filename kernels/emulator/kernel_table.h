// The table through which the emulated driver finds a family's kernels by name, appended to each
// host-compiled .cu by build.sh: for every extern "C" __global__ kernel, its name, its number of
// parameters with their sizes (what cuLaunchKernel's kernelParams point to, and what a graph
// recording copies), and a function that calls it with those parameters.
#pragma once

#include <stddef.h>

struct EmulatedKernel {
    const char* name;
    void (*run)(void** params);
    int parameters;
    const size_t* sizes;
};

#ifndef CEBM_EMULATOR_RUNTIME
#include <type_traits>
#include <utility>

template <class F>
struct KernelSignature;

template <class... Args>
struct KernelSignature<void (*)(Args...)> {
    static constexpr int count = sizeof...(Args);
    static constexpr size_t sizes[sizeof...(Args) + 1] = {sizeof(Args)..., 0};

    // kernelParams[i] points to the value of parameter i (CUDA Driver API, cuLaunchKernel).
    template <void (*kernel)(Args...), size_t... I>
    static void call(void** params, std::index_sequence<I...>) {
        kernel(*static_cast<std::decay_t<Args>*>(params[I])...);
    }
};

template <auto kernel>
void run_kernel(void** params) {
    using Signature = KernelSignature<decltype(kernel)>;
    Signature::template call<kernel>(params, std::make_index_sequence<Signature::count>{});
}

#define KERNEL(name) \
    EmulatedKernel { #name, run_kernel<&name>, KernelSignature<decltype(&name)>::count, KernelSignature<decltype(&name)>::sizes }
#define EMULATED_KERNELS(...) extern "C" const EmulatedKernel cebm_emulated_kernels[] = {__VA_ARGS__, {nullptr, nullptr, 0, nullptr}};
#endif
