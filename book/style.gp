# The look of every figure in the book.  The Makefile loads this file, then
# sets the output, then runs a chapter's script.  cairolatex lets LaTeX
# typeset the labels, so the figures' mathematics matches the text's.
set terminal cairolatex pdf colortext size 12cm,7.2cm font ',9' linewidth 1.5
set border 3 linewidth 0.8
set tics nomirror out scale 0.6
set key noautotitle samplen 2.5 spacing 1.1
set grid back linecolor rgb '#dddddd' linewidth 0.6
# A palette that survives grey-scale printing and colour blindness (Okabe-Ito).
set linetype 1 linecolor rgb '#0072B2' pointtype 7 pointsize 0.45
set linetype 2 linecolor rgb '#D55E00' pointtype 5 pointsize 0.45
set linetype 3 linecolor rgb '#009E73' pointtype 9 pointsize 0.5
set linetype 4 linecolor rgb '#CC79A7' pointtype 11 pointsize 0.5
set linetype 5 linecolor rgb '#E69F00' pointtype 13 pointsize 0.5
set linetype 6 linecolor rgb '#56B4E9' pointtype 15 pointsize 0.45
set linetype 7 linecolor rgb '#000000' pointtype 6 pointsize 0.5
set linetype 8 linecolor rgb '#999999' pointtype 4 pointsize 0.5
set linetype cycle 8
