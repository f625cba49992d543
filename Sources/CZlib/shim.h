// zlib: gzip decoding of IDX files.
#include <zlib.h>
