# The look of every figure in the book.  The Makefile loads this file, then
# sets the output, then runs a chapter's script.  cairolatex lets LaTeX
# typeset the labels, so the figures' mathematics matches the text's.
#
# The rules every figure script keeps (the book's figure style):
# - a key never covers data: outside the plot (the default here, right of
#   it) or in a corner the data leave empty, said so in the script;
# - axis labels clear of the tick labels (give a y label an offset when
#   its ticks are wide, e.g. $10^{-10}$), tick labels that never run
#   together (set xtics by hand where the range is long);
# - colour-blind-safe colours (Okabe-Ito) whose lines also differ in dash
#   and point type, so that a greyscale print stays readable;
# - a colour bar always has a label (set cblabel);
# - a curve hidden under another, or data clipped by the range, is said so
#   in the caption;
# - pixel grids (atoms, features) drawn `with image`: an embedded bitmap,
#   one square per pixel, never smoothed (`with image pixels` paints each
#   pixel as a rectangle, and viewers show hairline seams between them),
#   each pixel large enough to see in print.
set terminal cairolatex pdf colortext size 12cm,7.2cm font ',9' linewidth 1.5
set border 3 linewidth 0.8
set tics nomirror out scale 0.6
set key noautotitle samplen 3 spacing 1.1 outside right top vertical Left reverse
set grid back linecolor rgb '#dddddd' linewidth 0.6
set linetype 1 linecolor rgb '#0072B2' dashtype 1 pointtype 7 pointsize 0.45
set linetype 2 linecolor rgb '#D55E00' dashtype 2 pointtype 5 pointsize 0.45
set linetype 3 linecolor rgb '#009E73' dashtype 4 pointtype 9 pointsize 0.5
set linetype 4 linecolor rgb '#CC79A7' dashtype 5 pointtype 11 pointsize 0.5
set linetype 5 linecolor rgb '#E69F00' dashtype 3 pointtype 13 pointsize 0.5
set linetype 6 linecolor rgb '#56B4E9' dashtype (8,3,2,3,2,3) pointtype 15 pointsize 0.45
set linetype 7 linecolor rgb '#000000' dashtype 1 pointtype 6 pointsize 0.5
set linetype 8 linecolor rgb '#999999' dashtype (2,4) pointtype 4 pointsize 0.5
set linetype cycle 8
# A sequential palette for maps (viridis-like, readable in grey).
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
