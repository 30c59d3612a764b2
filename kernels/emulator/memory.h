// Device memory of the emulated device: host memory laid out so that a kernel's access past the
// end of an allocation faults at once.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string>

namespace memory {

// A new allocation of `bytes` (at least 1), every 4-byte word a NaN; CUDA_SUCCESS or CUDA_ERROR_OUT_OF_MEMORY.
int allocate(size_t bytes, uintptr_t* address);
// Frees the allocation that starts at `address`; CUDA_ERROR_INVALID_VALUE if none does.
int release(uintptr_t address);
// Whether [address, address + bytes) lies inside one allocation.
bool inside(uintptr_t address, size_t bytes);
// Bytes allocated now, and the most the device holds.
size_t used();
size_t capacity();
// Where an address lies relative to the allocations, for a fault report ("4 bytes past the end
// of the 64-byte allocation at 0x7f..."). Called from the fault handler: it neither allocates
// nor locks, and writes into `out`.
void describe(uintptr_t address, char* out, size_t size);

}  // namespace memory
