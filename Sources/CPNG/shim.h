// libpng's simplified API (png_image_*): errors are return codes, no setjmp.
#include <png.h>
