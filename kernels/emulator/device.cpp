// Runs kernels: a block's threads are fibers that take turns on the calling host thread. A fiber
// runs until it reaches __syncthreads, a warp shuffle, or its end; when no fiber can run, the
// scheduler releases the barrier (all threads of the block there) or the shuffle (all lanes of
// the warp there), and the fibers run again. Blocks run one after another, so this shows a
// kernel's logic, not races between blocks or the timing of a real GPU.
//
// A fiber starts on its own stack through makecontext; after that, switches are _setjmp and
// _longjmp, which save no signal mask: swapcontext would cost two system calls per switch, and a
// launch switches a million times. Fiber i serves thread i of every block and every launch,
// looping over the kernel (build.sh compiles this file without _FORTIFY_SOURCE, whose longjmp
// refuses to jump between stacks).
#include "cuda_emulated.h"
#include "device.h"
#include "driver_types.h"
#include "kernel_table.h"
#include "memory.h"

#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <vector>

// The coordinates that the kernels read (cuda_emulated.h), set before a fiber resumes.
uint3 threadIdx, blockIdx;
dim3 blockDim, gridDim;

namespace device {
namespace {

// 64 KiB per CUDA thread: kernels keep a few small arrays on their stacks; the fault handler also
// runs on this stack. A page without access below each stack turns an overflow into a report.
constexpr size_t STACK_BYTES = 64 << 10;
constexpr unsigned int WARP = 32;

enum class State { RUNNABLE, AT_BARRIER, AT_SHUFFLE, DONE };

struct Fiber {
    jmp_buf context;  // where it goes on
    bool started = false;  // whether it has a live stack (a failed launch abandons it)
    char* stack;
    State state;
    uint3 index;
    // At a shuffle: the lanes named, the value offered (then received), and the source lane's offset.
    unsigned int mask;
    unsigned long long value;
    int delta;
};

struct Launch {
    const EmulatedKernel* kernel;
    void** params;
    jmp_buf scheduler;
    std::vector<Fiber>& fibers;  // the first blockDim.x·y·z are this block's threads
    size_t threads;
    int current = -1;  // the fiber running now; -1 while the scheduler runs
    bool faulted = false;
    char report[512];
};

// The driver runs one kernel at a time: its fibers, and the launch that this host thread runs.
std::vector<Fiber> all_fibers;
thread_local Launch* running = nullptr;
struct sigaction previous_handler;

char* new_stack() {
    size_t page = (size_t) sysconf(_SC_PAGESIZE);
    char* mapping = (char*) mmap(nullptr, STACK_BYTES + page, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    mprotect(mapping, page, PROT_NONE);
    return mapping + page;
}

Fiber& current_fiber() { return running->fibers[running->current]; }

void yield(State state) {
    Fiber& fiber = current_fiber();
    fiber.state = state;
    if (_setjmp(fiber.context) == 0) _longjmp(running->scheduler, 1);
}

void fiber_main() {
    current_fiber().started = true;
    for (;;) {
        running->kernel->run(running->params);
        yield(State::DONE);
    }
}

// Runs a fiber until it yields.
void resume(Fiber& fiber) {
    if (_setjmp(running->scheduler) != 0) return;
    if (fiber.started) _longjmp(fiber.context, 1);
    ucontext_t start;
    getcontext(&start);
    start.uc_stack.ss_sp = fiber.stack;
    start.uc_stack.ss_size = STACK_BYTES;
    start.uc_link = nullptr;
    makecontext(&start, fiber_main, 0);
    setcontext(&start);
}

const char* describe(State state) {
    switch (state) {
        case State::AT_BARRIER: return "waits at __syncthreads";
        case State::AT_SHUFFLE: return "waits at a shuffle";
        case State::DONE: return "has returned";
        default: return "runs";
    }
}

void fail(Launch& launch, std::string& report, const Fiber& fiber, const char* what) {
    snprintf(launch.report, sizeof launch.report, "kernel %s, block (%u, %u, %u), thread (%u, %u, %u): %s",
             launch.kernel->name, blockIdx.x, blockIdx.y, blockIdx.z, fiber.index.x, fiber.index.y, fiber.index.z, what);
    report = launch.report;
}

// Releases the shuffle of one warp if every lane its mask names has reached it. Returns
// CUDA_SUCCESS (released or not), or CUDA_ERROR_LAUNCH_FAILED when a named lane cannot get there.
int release_shuffle(Launch& launch, size_t first, std::string& report, bool& released) {
    size_t end = std::min(first + WARP, launch.threads);
    size_t leader = first;
    while (leader < end && launch.fibers[leader].state != State::AT_SHUFFLE) leader++;
    if (leader == end) return CUDA_SUCCESS;
    unsigned int mask = launch.fibers[leader].mask;
    for (unsigned int lane = 0; lane < WARP; lane++) {
        if (!(mask >> lane & 1)) continue;
        // CUDA C++ Programming Guide, "Warp Shuffle Functions": every lane in mask must execute
        // the same shuffle, or the result is undefined.
        if (first + lane >= end) {
            fail(launch, report, launch.fibers[leader], "a shuffle's mask names a lane that the block does not have");
            return CUDA_ERROR_LAUNCH_FAILED;
        }
        const Fiber& other = launch.fibers[first + lane];
        if (other.state == State::RUNNABLE) return CUDA_SUCCESS;
        if (other.state != State::AT_SHUFFLE) {
            char what[160];
            snprintf(what, sizeof what, "waits at a shuffle with mask 0x%08x, but lane %u %s", mask, lane, describe(other.state));
            fail(launch, report, launch.fibers[leader], what);
            return CUDA_ERROR_LAUNCH_FAILED;
        }
    }
    // __shfl_down_sync: lane i takes the value of lane i + delta, its own past the warp's end.
    unsigned long long offered[WARP];
    for (size_t i = first; i < end; i++) offered[i - first] = launch.fibers[i].value;
    for (size_t i = first; i < end; i++) {
        Fiber& fiber = launch.fibers[i];
        if (fiber.state != State::AT_SHUFFLE) continue;
        size_t source = i - first + fiber.delta;
        if (source < WARP && first + source < end) fiber.value = offered[source];
        fiber.state = State::RUNNABLE;
    }
    released = true;
    return CUDA_SUCCESS;
}

int run_threads(Launch& launch, std::string& report);

// Runs one block; a block that fails leaves its fibers' stacks mid-kernel, so they start afresh.
int run_block(Launch& launch, std::string& report) {
    for (size_t t = 0; t < launch.threads; t++) {
        Fiber& fiber = launch.fibers[t];
        fiber.state = State::RUNNABLE;
        fiber.index = uint3{(unsigned) (t % blockDim.x), (unsigned) (t / blockDim.x % blockDim.y),
                            (unsigned) (t / (blockDim.x * blockDim.y))};
    }
    int status = run_threads(launch, report);
    if (status != CUDA_SUCCESS) {
        for (size_t t = 0; t < launch.threads; t++) {
            if (launch.fibers[t].state != State::DONE) launch.fibers[t].started = false;
        }
    }
    return status;
}

int run_threads(Launch& launch, std::string& report) {
    for (;;) {
        for (size_t t = 0; t < launch.threads; t++) {
            Fiber& fiber = launch.fibers[t];
            if (fiber.state != State::RUNNABLE) continue;
            launch.current = (int) t;
            threadIdx = fiber.index;
            resume(fiber);
            launch.current = -1;
            if (launch.faulted) {
                report = launch.report;
                return CUDA_ERROR_ILLEGAL_ADDRESS;
            }
        }
        bool released = false;
        for (size_t first = 0; first < launch.threads; first += WARP) {
            int status = release_shuffle(launch, first, report, released);
            if (status != CUDA_SUCCESS) return status;
        }
        if (released) continue;
        // No shuffle is pending: the threads that have not returned wait at the barrier.
        size_t done = 0;
        const Fiber* returned = nullptr;
        for (size_t t = 0; t < launch.threads; t++) {
            if (launch.fibers[t].state == State::DONE) {
                done++;
                returned = &launch.fibers[t];
            }
        }
        if (done == launch.threads) return CUDA_SUCCESS;
        if (done > 0) {
            // CUDA C++ Programming Guide, "Synchronization Functions": __syncthreads must be
            // reached by every thread of the block, or the code is likely to hang.
            fail(launch, report, *returned, "has returned while other threads of its block wait at __syncthreads");
            return CUDA_ERROR_LAUNCH_FAILED;
        }
        for (size_t t = 0; t < launch.threads; t++) launch.fibers[t].state = State::RUNNABLE;
    }
}

void on_fault(int signal, siginfo_t* info, void* context) {
    Launch* launch = running;
    if (launch == nullptr || launch->current < 0) {
        // Not a kernel's access: the handler that was there before decides (the JVM's, which uses
        // memory faults of its own).
        if (previous_handler.sa_flags & SA_SIGINFO) {
            previous_handler.sa_sigaction(signal, info, context);
        } else if (previous_handler.sa_handler != SIG_IGN && previous_handler.sa_handler != SIG_DFL) {
            previous_handler.sa_handler(signal);
        } else {
            ::signal(signal, SIG_DFL);
            raise(signal);
        }
        return;
    }
    const Fiber& fiber = launch->fibers[launch->current];
    char where[200];
    memory::describe((uintptr_t) info->si_addr, where, sizeof where);
    snprintf(launch->report, sizeof launch->report,
             "kernel %s, block (%u, %u, %u), thread (%u, %u, %u): invalid access at address %p, %s", launch->kernel->name,
             blockIdx.x, blockIdx.y, blockIdx.z, fiber.index.x, fiber.index.y, fiber.index.z, info->si_addr, where);
    launch->faulted = true;
    // Abandons the thread: back to the scheduler, which ends the launch. Leaving the handler by a
    // jump keeps SIGSEGV blocked, so it is unblocked first.
    sigset_t segv;
    sigemptyset(&segv);
    sigaddset(&segv, SIGSEGV);
    pthread_sigmask(SIG_UNBLOCK, &segv, nullptr);
    _longjmp(launch->scheduler, 1);
}

}  // namespace

int run(const EmulatedKernel& kernel, void** params, Grid grid, Grid block, std::string& report) {
    size_t threads = (size_t) block.x * block.y * block.z;
    while (all_fibers.size() < threads) {
        all_fibers.emplace_back();
        all_fibers.back().stack = new_stack();
    }
    Launch launch{&kernel, params, {}, all_fibers, threads};
    gridDim = dim3{grid.x, grid.y, grid.z};
    blockDim = dim3{block.x, block.y, block.z};
    running = &launch;
    int status = CUDA_SUCCESS;
    for (unsigned int z = 0; z < grid.z && status == CUDA_SUCCESS; z++) {
        for (unsigned int y = 0; y < grid.y && status == CUDA_SUCCESS; y++) {
            for (unsigned int x = 0; x < grid.x && status == CUDA_SUCCESS; x++) {
                blockIdx = uint3{x, y, z};
                status = run_block(launch, report);
            }
        }
    }
    running = nullptr;
    return status;
}

void install_fault_handler() {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    sigaction(SIGSEGV, nullptr, &previous_handler);
    action.sa_flags = SA_SIGINFO | (previous_handler.sa_flags & (SA_ONSTACK | SA_RESTART));
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, nullptr);
}

}  // namespace device

extern "C" void cebm_emulated_syncthreads() { device::yield(device::State::AT_BARRIER); }

extern "C" unsigned long long cebm_emulated_shuffle(unsigned int mask, unsigned long long value, int delta) {
    device::Fiber& fiber = device::current_fiber();
    fiber.mask = mask;
    fiber.value = value;
    fiber.delta = delta;
    device::yield(device::State::AT_SHUFFLE);
    return fiber.value;
}
