draw --select 'ancestors(' -f dot
