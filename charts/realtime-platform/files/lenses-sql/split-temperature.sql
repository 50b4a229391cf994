INSERT INTO temperature_device_topic
STORE KEY AS STRING VALUE AS AVRO
SELECT STREAM
    _value.deviceId AS _key,
    _value.deviceId AS deviceId,
    _value.bodyTemperature AS value,
    _value.latitude AS latitude,
    _value.longitude AS longitude,
    _value.timestamp AS createdTime
FROM device_data;
