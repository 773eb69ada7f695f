// uPlot is loaded by a classic <script> (vendor/uplot.min.js) before the modules run.
declare const uPlot: typeof import('uplot');
