// The emulated device's processor: runs a kernel's grid on the calling host thread.
#pragma once

#include <string>

struct EmulatedKernel;

namespace device {

struct Grid {
    unsigned int x, y, z;
};

// Runs every block of the grid, one after another, each block's threads as fibers. Returns
// CUDA_SUCCESS; CUDA_ERROR_ILLEGAL_ADDRESS when a thread touched memory outside every
// allocation; CUDA_ERROR_LAUNCH_FAILED when the threads of a block cannot all go on (a barrier
// or shuffle that some of them never reach). `report` then says which kernel, block and thread.
int run(const EmulatedKernel& kernel, void** params, Grid grid, Grid block, std::string& report);

// Installs the handler that turns a kernel's memory fault into a report; the faults of
// everything else go on to the handler that was there before (the JVM's).
void install_fault_handler();

}  // namespace device
