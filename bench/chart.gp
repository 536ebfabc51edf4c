# The benchmark chart: requests per second per scenario, from bench/run.sh's results.tsv
# (scenario, req/s, p50 ms, p99 ms, non-2xx). Called by bench/run.sh with in= and out= set.
set terminal svg size 900,480 font "sans,11"
set output out
set datafile separator "\t"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set ylabel "requests per second"
set xtics rotate by -30 scale 0
set grid ytics
set key off
set title "userdesk, hello-world FastCGI and the Node tutorial app on this machine"
plot in using 2:xtic(1) every ::1 linecolor rgb "#3b6ea5"
